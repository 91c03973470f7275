/** Why the credits of a team changed; one ledger row per change, unique per (kind, reference). */
export const CREDIT_KINDS = [
  'TRIAL_GRANT',
  'PURCHASE',
  'JOB_CHARGE',
  'JOB_REFUND',
  'PAYMENT_REVERSAL',
  'PAYMENT_REINSTATEMENT',
  'ADMIN_ADJUSTMENT',
] as const;
export type CreditKind = (typeof CREDIT_KINDS)[number];
