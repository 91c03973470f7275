/** Where an order of credits stands. */
export enum PurchaseStatus {
  /** Checkout Session created; not paid (yet). */
  PENDING = 'PENDING',
  /** Paid: the pack's credits were granted. */
  PAID = 'PAID',
  /** The (asynchronous) payment failed; nothing was granted. */
  FAILED = 'FAILED',
  /** The Checkout Session expired unpaid (abandoned, or its time ran out): nothing was charged or granted. */
  EXPIRED = 'EXPIRED',
  /** The charge was refunded; the pack's credits were taken back. */
  REFUNDED = 'REFUNDED',
  /** The charge was disputed and Stripe withdrew its money (a chargeback; an inquiry leaves the purchase PAID); the pack's credits were taken back. */
  DISPUTED = 'DISPUTED',
  /** The dispute was won; the credits it took back were given back. */
  DISPUTE_WON = 'DISPUTE_WON',
}

export const PURCHASE_STATUSES = Object.values(PurchaseStatus);

/**
 * The moves a purchase may make, whatever order Stripe's events arrive in. The graph has no cycle, so
 * statuses only move forward (a late "failed" never undoes a payment, a late "completed" never undoes a
 * refund, a re-sent dispute never reopens a won one): PENDING → PAID, FAILED or EXPIRED (final: an expired
 * session can no longer be paid), FAILED → PAID,
 * PAID → REFUNDED or DISPUTED, DISPUTED → DISPUTE_WON, DISPUTE_WON → REFUNDED (refunded after the win).
 */
export const NEXT_STATUSES: Record<PurchaseStatus, readonly PurchaseStatus[]> = {
  PENDING: [PurchaseStatus.PAID, PurchaseStatus.FAILED, PurchaseStatus.EXPIRED],
  FAILED: [PurchaseStatus.PAID],
  EXPIRED: [],
  PAID: [PurchaseStatus.REFUNDED, PurchaseStatus.DISPUTED],
  DISPUTED: [PurchaseStatus.DISPUTE_WON],
  DISPUTE_WON: [PurchaseStatus.REFUNDED],
  REFUNDED: [],
};

/** Statuses in which the pack's credits were granted (and may be taken back, and a won dispute's given back). */
export const GRANTED_STATUSES: readonly PurchaseStatus[] = [
  PurchaseStatus.PAID,
  PurchaseStatus.REFUNDED,
  PurchaseStatus.DISPUTED,
  PurchaseStatus.DISPUTE_WON,
];
