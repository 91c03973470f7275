import type { AdminLegalHoldsQuery, AuditAction, AuditLogFilter } from '../graphql/generated/graphql';

type HoldNode = AdminLegalHoldsQuery['legalHolds']['edges'][number]['node'];

/**
 * Every audit action with its label. A `Record` over the generated `AuditAction` type: an action
 * added to the API's enum (and to the generated types) fails type-checking here until it has a label.
 */
export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  API_KEY_CREATED: 'API key created',
  API_KEY_REVOKED: 'API key revoked',
  CONSENT_CHANGED: 'Consent changed',
  CREDITS_ADJUSTED: 'Credits adjusted',
  DATA_REQUEST_APPROVED: 'Data request approved',
  DATA_REQUEST_CANCELED: 'Data request canceled',
  DATA_REQUEST_COMPLETED: 'Data request completed',
  DATA_REQUEST_CREATED: 'Data request created',
  DATA_REQUEST_EXECUTING: 'Data request executing',
  DATA_REQUEST_FAILED: 'Data request failed',
  DATA_REQUEST_REJECTED: 'Data request rejected',
  DATA_REQUEST_WAITING: 'Data request waiting',
  LEGAL_HOLD_PLACED: 'Legal hold placed',
  LEGAL_HOLD_RELEASED: 'Legal hold released',
  MEMBER_LEFT: 'Member left',
  MEMBER_REMOVED: 'Member removed',
  MEMBER_ROLE_CHANGED: 'Member role changed',
  OWNERSHIP_TRANSFERRED: 'Ownership transferred',
  PLATFORM_ADMIN_GRANTED: 'Platform admin granted',
  PLATFORM_ADMIN_REVOKED: 'Platform admin revoked',
  POLICY_ACCEPTED: 'Policy accepted',
  RETENTION_POLICY_CHANGED: 'Retention policy changed',
  RETENTION_SWEEP: 'Retention sweep',
};

/** The audit-log filter's action options, in label order. */
export const AUDIT_ACTION_OPTIONS: readonly { value: AuditAction; label: string }[] = (
  Object.entries(AUDIT_ACTION_LABELS) as [AuditAction, string][]
)
  .map(([value, label]) => ({ value, label }))
  .sort((a, b) => a.label.localeCompare(b.label));

/**
 * Holds as shown: the pages read so far (oldest first), then the holds placed here that paging has not
 * reached yet (the newest of all), each in its latest known state; released ones drop out of an
 * active-only list.
 */
export function shownHolds(
  paged: readonly HoldNode[],
  placed: readonly HoldNode[],
  latest: ReadonlyMap<string, HoldNode>,
  activeOnly: boolean,
) {
  const ids = new Set(paged.map((h) => h.id));
  return [...paged, ...placed.filter((h) => !ids.has(h.id))].map((h) => latest.get(h.id) ?? h).filter((h) => !activeOnly || h.active);
}

export interface AuditDraft {
  action: AuditAction | '';
  teamId: string;
  actorId: string;
  email: string;
  /** `<input type="datetime-local">` values, local time. */
  from: string;
  to: string;
}

export const NO_AUDIT_FILTER: AuditDraft = { action: '', teamId: '', actorId: '', email: '', from: '', to: '' };

/** The draft as the API's filter: empty fields left out, local date-times as instants. */
export function auditFilter(draft: AuditDraft): AuditLogFilter {
  const filter: AuditLogFilter = {};
  if (draft.action) filter.action = draft.action;
  if (draft.teamId.trim()) filter.teamId = draft.teamId.trim();
  if (draft.actorId.trim()) filter.actorId = draft.actorId.trim();
  if (draft.email.trim()) filter.email = draft.email.trim();
  if (draft.from) filter.from = new Date(draft.from).toISOString();
  if (draft.to) filter.to = new Date(draft.to).toISOString();
  return filter;
}

export const MAX_ADJUSTMENT = 1_000_000;

/**
 * A credit adjustment as typed: a signed, non-zero multiple of 0.25 of at most 1 000 000 either
 * way, and a reason of 1–500 characters (the API's rules, said before it is asked).
 */
export function checkAdjustment(
  amountText: string,
  reasonText: string,
): { amount?: number; reason?: string; errors: { amount?: string; reason?: string } } {
  const errors: { amount?: string; reason?: string } = {};
  const text = amountText.trim().replace(/^\+/, '');
  const amount = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (Number.isNaN(amount)) errors.amount = 'A number of credits, e.g. 10 or -2.5.';
  else if (amount === 0) errors.amount = 'Not zero.';
  else if (Math.abs(amount) > MAX_ADJUSTMENT) errors.amount = 'At most 1,000,000 credits either way.';
  else if (!Number.isInteger(amount * 4)) errors.amount = 'A multiple of 0.25 credits.';
  const reason = reasonText.trim();
  if (!reason) errors.reason = 'Give the reason: it is kept in the ledger.';
  else if (reason.length > 500) errors.reason = 'At most 500 characters.';
  return errors.amount || errors.reason ? { errors } : { amount, reason, errors };
}
