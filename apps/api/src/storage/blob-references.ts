/**
 * Every column that names a blob by its key. A table or column that names blobs must be added
 * here, or the orphan-blobs sweep takes its blobs for orphans: `orphan-blobs.int-spec.ts` fails
 * when the schema holds a `*blob_key` column this list lacks. Each has an index (for the sweep).
 */
export const BLOB_KEY_COLUMNS = [
  { table: 'uploads', column: 'blob_key' },
  { table: 'jobs', column: 'input_blob_key' },
  { table: 'jobs', column: 'result_blob_key' },
  { table: 'data_requests', column: 'export_blob_key' },
] as const;

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/**
 * SQL conditions on a listed key `c.key`: true while the database names it, or names a write of
 * it still to be recorded.
 */
const REFERENCES: readonly string[] = [
  ...BLOB_KEY_COLUMNS.map(({ table, column }) => `EXISTS (SELECT 1 FROM ${table} WHERE ${column} = c.key)`),
  // Queued for deletion (the outbox): already on its way, or queued ahead of its write (a worker's
  // result, until its job's commit takes it back), or under a folder an erasure queued.
  `EXISTS (SELECT 1 FROM pending_blob_deletions p WHERE p.key IN (c.key, substring(c.key from '^([a-z]+/[^/]+/)')))`,
  // An inline image (UploadsService.receiveInline) is written after its row, which names it once
  // written: while the row waits for its key, the blob at EncryptedBlobsService.key(team, 'uploads', id) is its.
  `EXISTS (SELECT 1 FROM uploads u WHERE u.id = substring(c.key from '^teams/[^/]+/uploads/(${UUID})$')::uuid
            AND u.blob_key IS NULL AND c.key = 'teams/' || u.team_id || '/uploads/' || u.id)`,
  // A data export's archive (ExportArchiveService.key) is written under its worker's claim while the
  // request runs, and named by the request once complete; an earlier claim's is an orphan.
  `EXISTS (SELECT 1 FROM data_requests r WHERE r.id = substring(c.key from '^users/[^/]+/exports/(${UUID})\\.${UUID}\\.zip$')::uuid
            AND r.status = 'EXECUTING' AND c.key = 'users/' || r.subject_user_id || '/exports/' || r.id || '.' || r.claim_id || '.zip')`,
];

/**
 * One statement (one snapshot: a reference moved from one place to another in a transaction is
 * seen in one or the other, never in neither): queues ($1, the candidate keys) those that nothing
 * above names into pending_blob_deletions, stamped $2, and answers them.
 */
export const QUEUE_UNREFERENCED_SQL = `
  INSERT INTO pending_blob_deletions (key, queued_at)
  SELECT c.key, $2::timestamptz FROM unnest($1::text[]) AS c(key)
   WHERE ${REFERENCES.map((condition) => `NOT ${condition}`).join('\n     AND ')}
  ON CONFLICT (key) DO NOTHING
  RETURNING key`;
