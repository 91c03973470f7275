/**
 * Every privileged or privacy-relevant action the audit log records. The list exists once,
 * here; the GraphQL enum `AuditAction` is built from it. Add an action here before recording it.
 */
export const AuditAction = {
  // teams
  MEMBER_ROLE_CHANGED: 'MEMBER_ROLE_CHANGED',
  MEMBER_REMOVED: 'MEMBER_REMOVED',
  MEMBER_LEFT: 'MEMBER_LEFT',
  OWNERSHIP_TRANSFERRED: 'OWNERSHIP_TRANSFERRED',
  // api keys
  API_KEY_CREATED: 'API_KEY_CREATED',
  API_KEY_REVOKED: 'API_KEY_REVOKED',
  // credits
  CREDITS_ADJUSTED: 'CREDITS_ADJUSTED',
  // platform administration
  PLATFORM_ADMIN_GRANTED: 'PLATFORM_ADMIN_GRANTED',
  PLATFORM_ADMIN_REVOKED: 'PLATFORM_ADMIN_REVOKED',
  // privacy
  POLICY_ACCEPTED: 'POLICY_ACCEPTED',
  CONSENT_CHANGED: 'CONSENT_CHANGED',
  RETENTION_POLICY_CHANGED: 'RETENTION_POLICY_CHANGED',
  RETENTION_SWEEP: 'RETENTION_SWEEP',
  LEGAL_HOLD_PLACED: 'LEGAL_HOLD_PLACED',
  LEGAL_HOLD_RELEASED: 'LEGAL_HOLD_RELEASED',
  DATA_REQUEST_CREATED: 'DATA_REQUEST_CREATED',
  DATA_REQUEST_APPROVED: 'DATA_REQUEST_APPROVED',
  DATA_REQUEST_REJECTED: 'DATA_REQUEST_REJECTED',
  DATA_REQUEST_CANCELED: 'DATA_REQUEST_CANCELED',
  DATA_REQUEST_EXECUTING: 'DATA_REQUEST_EXECUTING',
  DATA_REQUEST_WAITING: 'DATA_REQUEST_WAITING',
  DATA_REQUEST_COMPLETED: 'DATA_REQUEST_COMPLETED',
  DATA_REQUEST_FAILED: 'DATA_REQUEST_FAILED',
} as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];
export const AUDIT_ACTIONS: readonly AuditAction[] = Object.values(AuditAction);

/**
 * Legal holds are confidential: platform admins see them (platformAuditLog), nobody else does.
 * Entries with these actions, or whose target is a hold, never reach a team's auditLog or a
 * person's data export (DATA_REQUEST_WAITING: its only reason is a hold, which the request's
 * subject is not told about either).
 */
export const PLATFORM_ONLY_AUDIT_ACTIONS: readonly AuditAction[] = [
  AuditAction.LEGAL_HOLD_PLACED,
  AuditAction.LEGAL_HOLD_RELEASED,
  AuditAction.DATA_REQUEST_WAITING,
];
export const PLATFORM_ONLY_TARGET_TYPES: readonly string[] = ['LEGAL_HOLD'];
/** `details` keys that name a hold, removed from every entry shown outside platformAuditLog. */
export const PLATFORM_ONLY_DETAIL_KEYS: readonly string[] = ['holdId', 'holdReference', 'waitingReason'];

/** Who acted: a person, a team's API key, the platform itself (sweeper, worker) or an operator at the CLI. */
export const AuditActorKind = { USER: 'USER', API_KEY: 'API_KEY', SYSTEM: 'SYSTEM', OPERATOR: 'OPERATOR' } as const;
export type AuditActorKind = (typeof AuditActorKind)[keyof typeof AuditActorKind];
