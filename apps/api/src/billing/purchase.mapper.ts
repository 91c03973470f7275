import { quartersToCredits } from '../credits/credit-amounts';
import type { CreditPack } from './credit-packs';
import type { CreditPackOutput, PurchaseOutput } from './dto/billing.output';
import type { PurchaseEntity } from './entities/purchase.entity';

export const toPurchaseOutput = (p: PurchaseEntity): PurchaseOutput => ({
  id: p.id,
  pack: p.packId,
  credits: quartersToCredits(p.creditsQuarters),
  amount: p.amount,
  currency: p.currency,
  status: p.status,
  createdAt: p.createdAt,
  receiptUrl: p.receiptUrl,
});

export const toCreditPackOutput = (pack: CreditPack): CreditPackOutput => ({ ...pack });
