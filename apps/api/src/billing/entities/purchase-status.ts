/** Where an order of credits stands. */
export enum PurchaseStatus {
  /** Checkout Session created; not paid (yet). */
  PENDING = 'PENDING',
  /** Paid: the pack's credits were granted. */
  PAID = 'PAID',
  /** The (asynchronous) payment failed; nothing was granted. */
  FAILED = 'FAILED',
  /** The charge was refunded; the pack's credits were taken back. */
  REFUNDED = 'REFUNDED',
  /** The charge was disputed; the pack's credits were taken back. */
  DISPUTED = 'DISPUTED',
}

export const PURCHASE_STATUSES = Object.values(PurchaseStatus);

/**
 * Statuses only move forward, whatever order Stripe's events arrive in: PENDING → PAID or FAILED,
 * PAID → REFUNDED or DISPUTED (a late "failed" never undoes a payment, a late "completed" never undoes a refund).
 */
export const STATUS_RANK: Record<PurchaseStatus, number> = { PENDING: 0, FAILED: 1, PAID: 2, REFUNDED: 3, DISPUTED: 3 };

/** Statuses in which the pack's credits were granted (and may be taken back once). */
export const GRANTED_STATUSES: readonly PurchaseStatus[] = [PurchaseStatus.PAID, PurchaseStatus.REFUNDED, PurchaseStatus.DISPUTED];
