import { Field, ObjectType } from 'type-graphql';
import { PolicyKind } from './policy-kind.enum';

@ObjectType('Policy', { description: 'One version of a policy document (Markdown).' })
export class PolicyOutput {
  @Field(() => PolicyKind)
  kind: PolicyKind;

  @Field({ description: 'The publication date, YYYY-MM-DD; the newest version of a kind is the current one.' })
  version: string;

  @Field()
  title: string;

  @Field()
  publishedAt: Date;

  @Field()
  markdown: string;
}
