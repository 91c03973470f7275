import { Field, InputType } from 'type-graphql';

@InputType()
export class AcceptPolicyInput {
  @Field({ description: 'The current version of the privacy policy (`policy(kind: PRIVACY) { version }`).' })
  version: string;
}
