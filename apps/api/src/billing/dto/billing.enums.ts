import { registerEnumType } from 'type-graphql';
import { PurchaseStatus } from '../entities/purchase-status';

export { PurchaseStatus };

registerEnumType(PurchaseStatus, {
  name: 'PurchaseStatus',
  description:
    'PENDING → PAID, FAILED or EXPIRED (the checkout was abandoned or ran out of time: nothing charged; final); PAID → REFUNDED or DISPUTED (the credits taken back; any shortfall becomes debt; a dispute only once Stripe withdrew its money — an inquiry leaves the purchase PAID); DISPUTED → DISPUTE_WON (the dispute was won: the credits given back); DISPUTE_WON → REFUNDED.',
});
