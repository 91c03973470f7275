import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { aPlatformAdmin, aSignedInUser, type SignedInUser } from '../../testing/builders';
import { REQUEST_EXPORT, untilRequest } from '../../testing/data-requests-client';
import { uploadImage } from '../../testing/jobs-client';
import { aSubjectImage } from '../../testing/test-images';
import { startTestApi, type TestApi } from '../../testing/test-api';
import { ExportArchiveService } from '../privacy/data-requests/export-archive.service';
import { RetentionSweeperService, type SweepReport } from '../privacy/retention/retention-sweeper.service';
import { BlobDeletions } from './blob-deletions';
import { BLOB_KEY_COLUMNS } from './blob-references';
import { BlobStore, type BlobPage } from './blob-store';

const HOUR_MS = 3_600_000;
const GRACE_HOURS = 6; // ORPHAN_BLOB_GRACE_HOURS's default
const PLACE = `mutation($i: PlaceLegalHoldInput!) { placeLegalHold(input: $i) { id } }`;
const RELEASE = `mutation($i: ReleaseLegalHoldInput!) { releaseLegalHold(input: $i) { id } }`;

/**
 * The `orphan-blobs` sweep task: a blob in the store that no row names (its writer died before
 * recording or queueing it) is deleted once older than ORPHAN_BLOB_GRACE_HOURS, and counted in
 * the sweep's audit entry; whatever the database names, a write still in flight, and what a legal
 * hold keeps stay. The real API and its database, its local-disk store; a blob's age is its file's
 * mtime, set back here (the sweep reads the store's time, not the database's).
 */
describe('retention sweep: blobs that no row names (orphan-blobs)', () => {
  let t: TestApi;
  let owner: SignedInUser;
  let store: BlobStore;

  const sweep = () => t.api.app.get(RetentionSweeperService).sweepOnce();
  const file = (key: string) => path.join(t.dataDir, 'blobs', key);
  /** Sets the blob's write time `hours` back from now. */
  const age = (key: string, hours: number) => {
    const when = new Date(Date.now() - hours * HOUR_MS);
    utimesSync(file(key), when, when);
  };
  /** A blob written straight to the store (no row, nothing queued), `hours` old. */
  async function anOrphan(key: string, hours = GRACE_HOURS + 1): Promise<string> {
    await store.put(key, Readable.from([Buffer.from(`sealed bytes of ${key}`)]));
    age(key, hours);
    return key;
  }
  const present = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, existsSync(file(k))]));
  const all = (keys: string[], value: boolean) => Object.fromEntries(keys.map((k) => [k, value]));
  const pending = async () => (await t.sql<{ key: string }>('SELECT key FROM pending_blob_deletions ORDER BY key')).map((r) => r.key);
  async function lastAuditCounts(): Promise<Record<string, number>> {
    const [entry] = await t.sql<{ details: { counts: Record<string, number> } }>(
      `SELECT details FROM audit_log WHERE action = 'RETENTION_SWEEP' ORDER BY occurred_at DESC, id DESC LIMIT 1`,
    );
    return entry.details.counts;
  }
  /** Sweeps until the orphan-blobs task finished a pass over the whole store (its cursor back at the start). */
  async function sweepAFullPass(): Promise<SweepReport[]> {
    const reports: SweepReport[] = [];
    for (let i = 0; i < 50; i++) {
      reports.push(await sweep());
      const [cursor] = await t.sql<{ after_key: string | null }>(`SELECT after_key FROM blob_sweep_cursors WHERE task = 'orphan-blobs'`);
      if (cursor && cursor.after_key === null) return reports;
    }
    throw new Error('the orphan-blobs sweep never finished a pass');
  }

  beforeAll(async () => {
    t = await startTestApi({ PRIVACY_SWEEP_CRON: '', SESSION_TTL_HOURS: '8760' });
    owner = await aSignedInUser(t, 'orphans');
    store = t.api.app.get(BlobStore);
  }, 120_000);
  afterAll(() => t?.close());

  it('deletes a blob older than the grace that no row names, and counts it in the sweep’s audit entry', async () => {
    // Regression: nothing listed the store, so a blob whose writer died before its row (or its
    // pending deletion) committed stayed for ever, outliving every retention period and erasure.
    const orphans = [
      await anOrphan(`teams/${owner.personalTeamId}/uploads/${randomUUID()}.${randomUUID()}`), // a PUT that died before its claim committed
      await anOrphan(`teams/${owner.personalTeamId}/uploads/${randomUUID()}`), // an inline image whose row is gone
      await anOrphan(`teams/${owner.personalTeamId}/results/${randomUUID()}-1.png`), // a result never queued
      await anOrphan(`users/${owner.id}/exports/${randomUUID()}.${randomUUID()}.zip`), // an archive of a request that failed
    ];
    const report = await sweep();
    expect(report.failed).toEqual([]);
    expect(report.counts.orphanBlobs).toBe(4);
    expect(present(orphans)).toEqual(all(orphans, false));
    expect(await pending()).toEqual([]);
    expect((await lastAuditCounts()).orphanBlobs).toBe(4);
  });

  it('keeps every blob a row names, a write still in flight, a queued blob, a fresh orphan and a held person’s orphans; deletes the old orphan beside them', async () => {
    // What the database names: an upload (its row), a job's input and result, an export archive.
    const upload = await uploadImage(owner.client, owner.personalTeamId, await aSubjectImage('png', 24, 24));
    expect(upload.put.status).toBe(200);
    const [{ blob_key: uploadKey }] = await t.sql<{ blob_key: string }>('SELECT blob_key FROM uploads WHERE id = $1', [upload.id]);
    const exportId = (await owner.client.ok(REQUEST_EXPORT)).requestDataExport.id as string;
    await untilRequest(t, exportId, ['COMPLETED']);
    const [{ export_blob_key: archive }] = await t.sql<{ export_blob_key: string }>(
      'SELECT export_blob_key FROM data_requests WHERE id = $1',
      [exportId],
    );
    const jobInput = await anOrphan(`teams/${owner.personalTeamId}/uploads/${randomUUID()}`);
    const jobResult = await anOrphan(`teams/${owner.personalTeamId}/results/${randomUUID()}-1.png`);
    await t.sql(
      `INSERT INTO jobs (team_id, idempotency_key, status, stage, progress, options, input_filename, input_blob_key, input_content_type,
                         input_width, input_height, input_bytes, result_blob_key, queued_at)
       VALUES ($1, $2, 'SUCCEEDED', 'STORED', 1, '{}', 'photo.png', $3, 'image/png', 24, 24, 100, $4, now())`,
      [owner.personalTeamId, randomUUID(), jobInput, jobResult],
    );
    // Writes whose row comes first: an inline image before its key is recorded, an export archive while its request runs.
    const [{ id: inlineId }] = await t.sql<{ id: string }>(
      `INSERT INTO uploads (team_id, status, filename, declared_content_type, declared_bytes, expires_at, uploaded_at, content_type, width, height, bytes)
       VALUES ($1, 'UPLOADED', 'inline.png', 'image/png', 100, now(), now(), 'image/png', 24, 24, 100) RETURNING id`,
      [owner.personalTeamId],
    );
    const inline = await anOrphan(`teams/${owner.personalTeamId}/uploads/${inlineId}`);
    const exporter = await aSignedInUser(t, 'exporting');
    const claimId = randomUUID();
    const [{ id: runningId }] = await t.sql<{ id: string }>(
      `INSERT INTO data_requests (kind, status, origin, subject_user_id, created_at, due_at, started_at, attempts, claim_id)
       VALUES ('EXPORT', 'EXECUTING', 'SELF_SERVICE', $1, now(), now() + interval '30 days', now(), 2, $2) RETURNING id`,
      [exporter.id, claimId],
    );
    const running = await anOrphan(ExportArchiveService.key({ userId: exporter.id, requestId: runningId, claimId }));
    // The same request's archive from the claim before (a worker taken for dead): an orphan.
    const takenOver = await anOrphan(ExportArchiveService.key({ userId: exporter.id, requestId: runningId, claimId: randomUUID() }));
    // Queued ahead of its write (a worker's result, until its job commits it).
    const queuedAhead = `teams/${owner.personalTeamId}/results/${randomUUID()}-1.png`;
    await t.api.app.get(BlobDeletions).queueAhead(queuedAhead, new Date(Date.now() + HOUR_MS));
    await anOrphan(queuedAhead);
    // Under a folder an erasure queued (the pending-blobs task's to delete: here not before an hour).
    const erasedTeam = randomUUID();
    await t.sql('INSERT INTO pending_blob_deletions (key, queued_at) VALUES ($1, $2)', [
      `teams/${erasedTeam}/`,
      new Date(Date.now() + HOUR_MS),
    ]);
    const inQueuedFolder = await anOrphan(`teams/${erasedTeam}/uploads/${randomUUID()}`);
    // A fresh orphan: its writer may still be about to commit its row.
    const fresh = await anOrphan(`teams/${owner.personalTeamId}/uploads/${randomUUID()}`, GRACE_HOURS - 1);
    // A held person's orphans: in their own folder and in their personal team's.
    const held = await aSignedInUser(t, 'held');
    const admin = await aPlatformAdmin(t, 'holds-admin');
    const heldOrphans = [
      await anOrphan(`users/${held.id}/exports/${randomUUID()}.${randomUUID()}.zip`),
      await anOrphan(`teams/${held.personalTeamId}/uploads/${randomUUID()}`),
    ];
    const hold = (await admin.client.ok(PLACE, { i: { subject: { kind: 'USER', id: held.id }, reference: 'Case 7' } })).placeLegalHold;
    for (const key of [uploadKey, archive]) age(key, GRACE_HOURS + 1);
    const old = await anOrphan(`teams/${owner.personalTeamId}/uploads/${randomUUID()}`);

    const kept = [uploadKey, jobInput, jobResult, archive, inline, running, queuedAhead, inQueuedFolder, fresh, ...heldOrphans];
    const report = await sweep();
    expect(report.failed).toEqual([]);
    expect(report.counts.orphanBlobs).toBe(2);
    expect(present([...kept, old, takenOver])).toEqual({ ...all(kept, true), [old]: false, [takenOver]: false });
    expect((await pending()).sort()).toEqual([queuedAhead, `teams/${erasedTeam}/`].sort());

    // Once older than the grace, the fresh orphan goes; once the hold is released, so do the held person's.
    age(fresh, GRACE_HOURS + 1);
    await admin.client.ok(RELEASE, { i: { id: hold.id, reason: 'Case closed' } });
    const later = await sweep();
    expect(later.counts.orphanBlobs).toBe(3);
    expect(present([fresh, ...heldOrphans])).toEqual(all([fresh, ...heldOrphans], false));
    expect(present(kept.filter((k) => k !== fresh && !heldOrphans.includes(k)))).toEqual(
      all(
        kept.filter((k) => k !== fresh && !heldOrphans.includes(k)),
        true,
      ),
    );
  });

  it('a sweep interrupted half-way (its listing failed mid-run, then the store failed after a batch committed) is safe to run again', async () => {
    // A team erased long ago whose folder was never deleted; its id sorts before every other, so its keys come first.
    const team = `00000000-0000-4000-8000-${randomBytes(6).toString('hex')}`;
    const orphans: string[] = [];
    for (let n = 1; n <= 7; n++) orphans.push(await anOrphan(`teams/${team}/uploads/${n}-${randomUUID()}`));
    const fresh = await anOrphan(`teams/${team}/results/${randomUUID()}-1.png`, 1); // listed first ("results" < "uploads")
    const upload = await uploadImage(owner.client, owner.personalTeamId, await aSubjectImage('png', 20, 20));
    const [{ blob_key: referenced }] = await t.sql<{ blob_key: string }>('SELECT blob_key FROM uploads WHERE id = $1', [upload.id]);
    age(referenced, GRACE_HOURS + 1);

    // Pages of 2 keys, so a run is many batches; the first run's third listing fails (the process "died" there).
    const list = store.list.bind(store);
    const calls: { after?: string; page: BlobPage }[] = [];
    let failing = true;
    const listing = jest.spyOn(store, 'list').mockImplementation(async (prefix, { after }) => {
      if (failing && calls.length === 2) {
        failing = false;
        throw new Error('the process died mid-listing');
      }
      const page = await list(prefix, { after, limit: 2 });
      calls.push({ after, page });
      return page;
    });
    try {
      const first = await sweep();
      expect(first.failed).toEqual(['orphan-blobs']);
      expect(calls.map((c) => c.page.blobs.map((b) => b.key))).toEqual([
        [fresh, orphans[0]],
        [orphans[1], orphans[2]],
      ]);
      expect(present(orphans)).toEqual({ ...all(orphans, true), ...all(orphans.slice(0, 3), false) });
      const cursor = async () =>
        (await t.sql<{ after_key: string }>(`SELECT after_key FROM blob_sweep_cursors WHERE task = 'orphan-blobs'`))[0].after_key;
      expect(await cursor()).toBe(orphans[2]); // two batches committed

      // The next run goes on from there; the store fails a delete once its batch committed.
      calls.length = 0;
      const outage = jest.spyOn(store, 'delete').mockRejectedValueOnce(new Error('the store is unreachable'));
      try {
        expect((await sweep()).failed).toEqual(['orphan-blobs']);
      } finally {
        outage.mockRestore();
      }
      expect(calls[0]).toMatchObject({ after: orphans[2], page: { blobs: [{ key: orphans[3] }, { key: orphans[4] }] } });
      expect(await cursor()).toBe(orphans[4]);
      const stranded = (await pending()).filter((k) => k.startsWith(`teams/${team}/`));
      expect(stranded).toHaveLength(1); // queued with its batch: the store kept it
      expect(present(stranded)).toEqual(all(stranded, true));

      // Later runs delete what was queued (pending-blobs) and go on through the rest of the store, pass after pass.
      await sweepAFullPass();
      await sweepAFullPass();
    } finally {
      listing.mockRestore();
    }
    expect(present(orphans)).toEqual(all(orphans, false));
    expect(present([referenced, fresh])).toEqual(all([referenced, fresh], true));
    expect(await t.sql('SELECT id FROM uploads WHERE id = $1', [upload.id])).toHaveLength(1);
    expect((await pending()).filter((k) => k.startsWith(`teams/${team}/`))).toEqual([]);
  });

  it('checks every column that names a blob, each through an index', async () => {
    // A new blob-key column left out of BLOB_KEY_COLUMNS would have its blobs taken for orphans.
    const columns = await t.sql<{ table: string; column: string }>(
      `SELECT table_name AS table, column_name AS column FROM information_schema.columns
        WHERE table_schema = 'public' AND column_name LIKE '%blob_key%' ORDER BY 1, 2`,
    );
    const sorted = (list: readonly { table: string; column: string }[]) =>
      [...list].map((c) => `${c.table}.${c.column}`).sort((a, b) => a.localeCompare(b));
    expect(sorted(columns)).toEqual(sorted(BLOB_KEY_COLUMNS));
    for (const { table, column } of BLOB_KEY_COLUMNS) {
      const indexes = await t.sql('SELECT indexname FROM pg_indexes WHERE tablename = $1 AND indexdef LIKE $2', [table, `%(${column})%`]);
      expect([table, column, indexes.length > 0]).toEqual([table, column, true]);
    }
  });
});
