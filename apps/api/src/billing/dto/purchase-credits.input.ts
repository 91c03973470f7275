import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class PurchaseCreditsInput {
  @Field(() => ID)
  teamId: string;

  @Field(() => ID, { description: 'A pack id from `creditPacks`, e.g. `starter`.' })
  packId: string;
}
