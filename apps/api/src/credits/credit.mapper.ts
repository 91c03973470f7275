import { quartersToCredits } from './credit-amounts';
import type { CreditBalanceQuarters } from './credits.service';
import type { CreditBalanceOutput, CreditLedgerEntryOutput } from './dto/credit.outputs';
import type { CreditLedgerEntryEntity } from './entities/credit-ledger-entry.entity';

export const toCreditBalanceOutput = (b: CreditBalanceQuarters): CreditBalanceOutput => ({
  available: quartersToCredits(b.availableQuarters),
  debt: quartersToCredits(b.debtQuarters),
});

export const toLedgerEntryOutput = (e: CreditLedgerEntryEntity): CreditLedgerEntryOutput => ({
  id: e.id,
  kind: e.kind,
  amount: quartersToCredits(e.amountQuarters),
  reference: e.reference,
  reason: e.reason,
  createdAt: e.createdAt,
});
