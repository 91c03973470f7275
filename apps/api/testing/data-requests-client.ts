import type { SignedInUser } from './builders';
import type { TestApi } from './test-api';

export const DATA_REQUEST_FIELDS = `id kind status origin subjectUserId note createdAt dueAt overdue approvedAt rejectedAt rejectionReason
  executeAfter startedAt completedAt canceledAt progress step waitingReason { reason holdId reference }
  receipt { startedAt completedAt items { name count } } exportExpiresAt downloadUrl errorCode`;

export const REQUEST_EXPORT = `mutation { requestDataExport { ${DATA_REQUEST_FIELDS} } }`;
export const REQUEST_DELETION = `mutation($i: RequestAccountDeletionInput!) { requestAccountDeletion(input: $i) { ${DATA_REQUEST_FIELDS} } }`;
export const CANCEL_DELETION = `mutation($i: CancelAccountDeletionInput!) { cancelAccountDeletion(input: $i) { ${DATA_REQUEST_FIELDS} } }`;
export const MY_REQUESTS = `query { myDataRequests(first: 20) { edges { node { ${DATA_REQUEST_FIELDS} } } } }`;
export const DATA_REQUESTS = `query($s: DataRequestStatus) { dataRequests(status: $s, first: 20) { edges { node { ${DATA_REQUEST_FIELDS} } } } }`;
export const DATA_REQUEST = `query($id: ID!) { dataRequest(id: $id) { ${DATA_REQUEST_FIELDS} } }`;
export const CREATE_REQUEST = `mutation($i: CreateDataRequestInput!) { createDataRequest(input: $i) { ${DATA_REQUEST_FIELDS} } }`;
export const APPROVE_REQUEST = `mutation($i: ApproveDataRequestInput!) { approveDataRequest(input: $i) { ${DATA_REQUEST_FIELDS} } }`;
export const REJECT_REQUEST = `mutation($i: RejectDataRequestInput!) { rejectDataRequest(input: $i) { ${DATA_REQUEST_FIELDS} } }`;

/** Makes a signed-in user a platform admin (what the `make-admin` CLI does). */
export async function makePlatformAdmin(t: TestApi, user: SignedInUser): Promise<SignedInUser> {
  await t.sql('UPDATE users SET is_platform_admin = true WHERE id = $1', [user.id]);
  return user;
}

/** Waits (by polling the row) until the request reaches one of `statuses`, e.g. after the worker ran it. */
export async function untilRequest(t: TestApi, id: string, statuses: string[], timeoutMs = 60_000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await t.sql('SELECT * FROM data_requests WHERE id = $1', [id]);
    if (row && statuses.includes(row.status as string)) return row;
    if (Date.now() > deadline) throw new Error(`data request ${id} still ${String(row?.status)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until pg-boss finished every message sent for the request (so "nothing happened" is a fact, not a race). */
export async function untilQueueDone(t: TestApi, requestId: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [{ open }] = await t.sql<{ open: number }>(
      `SELECT count(*)::int AS open FROM pgboss.job WHERE name = 'data-request' AND data->>'requestId' = $1
         AND state NOT IN ('completed', 'failed', 'cancelled')`,
      [requestId],
    );
    if (open === 0) return;
    if (Date.now() > deadline) throw new Error(`data-request messages for ${requestId} still open after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Audit actions recorded about a request, sorted by name (entries of one transaction share a timestamp). */
export async function auditTrail(t: TestApi, requestId: string): Promise<string[]> {
  const rows = await t.sql<{ action: string }>(
    `SELECT action FROM audit_log WHERE target_type = 'DATA_REQUEST' AND target_id = $1 ORDER BY action`,
    [requestId],
  );
  return rows.map((r) => r.action);
}

/** The blob key of a completed export's archive, as its request names it (each claim writes its own: ExportArchiveService.key). */
export async function archiveKeyOf(t: TestApi, requestId: string): Promise<string> {
  const [row] = await t.sql<{ export_blob_key: string | null }>('SELECT export_blob_key FROM data_requests WHERE id = $1', [requestId]);
  if (!row?.export_blob_key) throw new Error(`data request ${requestId} names no archive`);
  return row.export_blob_key;
}
