import { Field, InputType } from 'type-graphql';
import { ConsentCategory, ConsentSource } from './consent.enums';

@InputType()
export class RecordConsentInput {
  @Field(() => [ConsentCategory], {
    description: 'The categories agreed to; STRICTLY_NECESSARY is added when missing. [] declines all others.',
  })
  categories: ConsentCategory[];

  @Field({ description: 'The current version of the cookie policy (`policy(kind: COOKIES) { version }`).' })
  policyVersion: string;

  @Field(() => ConsentSource)
  source: ConsentSource;
}
