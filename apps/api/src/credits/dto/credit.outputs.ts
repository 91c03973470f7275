import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ID } from '../../graphql/canonical-id.scalar';
import { ConnectionType } from '../../common/pagination/connection.types';
import { CREDIT_KINDS, type CreditKind } from '../credit-kind';

export const CreditKindEnum = Object.fromEntries(CREDIT_KINDS.map((k) => [k, k])) as { [K in CreditKind]: K };
registerEnumType(CreditKindEnum, { name: 'CreditKind', description: 'Why a team’s credits changed.' });

@ObjectType('CreditBalance', { description: 'A team’s credits (multiples of 0.25).' })
export class CreditBalanceOutput {
  @Field(() => Float, { description: 'Credits the team may spend.' })
  available: number;

  @Field(() => Float, {
    description: 'Credits owed (taken back by refunds or disputes after they were spent); blocks new jobs until paid.',
  })
  debt: number;
}

@ObjectType('CreditLedgerEntry', { description: 'One change of a team’s credits.' })
export class CreditLedgerEntryOutput {
  @Field(() => ID)
  id: string;

  @Field(() => CreditKindEnum)
  kind: CreditKind;

  @Field(() => Float, { description: 'Signed credits: + grants, purchases, refunds; − charges, reversals.' })
  amount: number;

  @Field({ description: 'What caused it: a job id, a checkout session, an admin request …' })
  reference: string;

  @Field(() => String, { nullable: true, description: 'Why (admin adjustments).' })
  reason: string | null;

  @Field()
  createdAt: Date;
}

export const CreditLedgerConnection = ConnectionType('CreditLedger', CreditLedgerEntryOutput);

@ObjectType('UsageDay', { description: 'Jobs paid and credits spent on one UTC day, from the ledger.' })
export class UsageDayOutput {
  @Field({ description: 'The UTC day, YYYY-MM-DD.' })
  day: string;

  @Field(() => Int, { description: 'Jobs charged minus jobs refunded.' })
  jobs: number;

  @Field(() => Float, { description: 'Credits spent net of refunds.' })
  credits: number;
}

@ObjectType('LedgerMismatch', { description: 'A team whose stored balance differs from its ledger sum (should never exist).' })
export class LedgerMismatchOutput {
  @Field(() => ID)
  teamId: string;

  @Field(() => Float, { description: 'Stored available − debt, in credits.' })
  balance: number;

  @Field(() => Float, { description: 'Sum of the team’s ledger, in credits.' })
  ledgerSum: number;
}

@ObjectType('CreditAdjustment')
export class CreditAdjustmentOutput {
  @Field(() => CreditLedgerEntryOutput)
  entry: CreditLedgerEntryOutput;

  @Field(() => CreditBalanceOutput)
  balance: CreditBalanceOutput;
}
