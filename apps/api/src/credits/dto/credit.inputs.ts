import { ArgsType, Field, Float, InputType } from 'type-graphql';
import { ID } from '../../graphql/canonical-id.scalar';
import { PageArgs } from '../../common/pagination/connection.types';

@InputType()
export class AdjustCreditsInput {
  @Field(() => ID)
  teamId: string;

  @Field(() => Float, { description: 'Signed credits, a non-zero multiple of 0.25, at most 1 000 000 either way.' })
  amount: number;

  @Field({ description: 'Why (1–500 characters); kept in the ledger.' })
  reason: string;

  @Field(() => String, {
    nullable: true,
    description:
      'Optional, unique per adjustment within the team (1–128 letters, digits or . _ : -): a retry with the same key returns the first adjustment’s entry and the current balance, applied once (its amount and reason are not compared with the first request’s). Without a key every request is a new adjustment.',
  })
  idempotencyKey?: string | null;
}

@ArgsType()
export class CreditLedgerArgs extends PageArgs {
  @Field(() => ID)
  teamId: string;
}

@ArgsType()
export class UsageArgs {
  @Field(() => ID)
  teamId: string;

  @Field({ description: 'Start (inclusive).' })
  from: Date;

  @Field({ description: 'End (exclusive); at most 366 days after `from`.' })
  to: Date;
}
