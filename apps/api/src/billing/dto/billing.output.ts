import { Field, Float, Int, ObjectType } from 'type-graphql';
import { ID } from '../../graphql/canonical-id.scalar';
import { ConnectionType } from '../../common/pagination/connection.types';
import { PurchaseStatus } from './billing.enums';

@ObjectType('CreditPack', { description: 'A pack of credits sold through Stripe Checkout.' })
export class CreditPackOutput {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field(() => Float)
  credits: number;

  @Field(() => Int, { description: "Price in the currency's minor unit (e.g. cents)." })
  amount: number;

  @Field({ description: 'ISO 4217 code, lower case as Stripe writes it (e.g. `usd`).' })
  currency: string;
}

@ObjectType('CheckoutSession', {
  description: 'A Stripe Checkout Session: send the payer to `url`; credits arrive when Stripe confirms the payment.',
})
export class CheckoutSessionOutput {
  @Field(() => ID)
  id: string;

  @Field()
  url: string;
}

@ObjectType('Purchase', { description: 'An order of a credit pack.' })
export class PurchaseOutput {
  @Field(() => ID)
  id: string;

  @Field({ description: 'The id of the pack bought (its credits and price are kept as they were then).' })
  pack: string;

  @Field(() => Float)
  credits: number;

  @Field(() => Int, { description: "In the currency's minor unit." })
  amount: number;

  @Field()
  currency: string;

  @Field(() => PurchaseStatus)
  status: PurchaseStatus;

  @Field()
  createdAt: Date;

  @Field(() => String, {
    nullable: true,
    description:
      "Stripe's receipt for the payment, once paid (it shows the payer): for its buyer, owners and admins; null for other members.",
  })
  receiptUrl: string | null;
}

export const PurchaseConnection = ConnectionType('Purchase', PurchaseOutput);
