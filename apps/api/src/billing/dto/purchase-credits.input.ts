import { Field, InputType } from 'type-graphql';
import { ID } from '../../graphql/canonical-id.scalar';

@InputType()
export class PurchaseCreditsInput {
  @Field(() => ID)
  teamId: string;

  @Field(() => ID, { description: 'A pack id from `creditPacks`, e.g. `starter`.' })
  packId: string;
}
