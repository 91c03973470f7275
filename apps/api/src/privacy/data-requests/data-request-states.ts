/** What a data-subject request asks for. */
export const DataRequestKind = { EXPORT: 'EXPORT', DELETION: 'DELETION' } as const;
export type DataRequestKind = (typeof DataRequestKind)[keyof typeof DataRequestKind];

/**
 * PENDING → APPROVED → EXECUTING → COMPLETED; PENDING → REJECTED; APPROVED → CANCELED (the user,
 * during a deletion's grace period); EXECUTING → FAILED once every attempt failed; FAILED → APPROVED
 * when an admin runs it again (its due date stays). EXECUTING → APPROVED between attempts.
 */
export const DataRequestStatus = {
  PENDING: 'PENDING',
  APPROVED: 'APPROVED',
  EXECUTING: 'EXECUTING',
  COMPLETED: 'COMPLETED',
  REJECTED: 'REJECTED',
  CANCELED: 'CANCELED',
  FAILED: 'FAILED',
} as const;
export type DataRequestStatus = (typeof DataRequestStatus)[keyof typeof DataRequestStatus];

/** Requests not finished yet (one open deletion per person at a time). */
export const OPEN_STATUSES: readonly DataRequestStatus[] = ['PENDING', 'APPROVED', 'EXECUTING'];

export const DataRequestOrigin = { SELF_SERVICE: 'SELF_SERVICE', ADMIN: 'ADMIN' } as const;
export type DataRequestOrigin = (typeof DataRequestOrigin)[keyof typeof DataRequestOrigin];

/** Why an approved request waits. */
export const DataRequestWaitingReason = { LEGAL_HOLD: 'LEGAL_HOLD' } as const;

/** Statutory deadline for answering a data-subject request. */
export const DATA_REQUEST_DUE_DAYS = 30;
