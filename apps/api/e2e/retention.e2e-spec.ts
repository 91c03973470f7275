import { existsSync } from 'node:fs';
import path from 'node:path';
import { aFundedTeam, aSignedInUser, type SignedInUser } from '../testing/builders';
import { startInferenceProcess, type InferenceProcess } from '../testing/inference-process';
import { REMOVE, uploadImage, waitForJob } from '../testing/jobs-client';
import { ledgerProblems } from '../testing/ledger-checks';
import { aSubjectImage } from '../testing/test-images';
import { startTestApi, type TestApi } from '../testing/test-api';
import { FakeClock } from '../src/common/clock.fake';
import { RetentionSweeperService } from '../src/privacy/retention/retention-sweeper.service';

const local = (url: string) => url.replace('localhost', '127.0.0.1');
const EXPIRY = `query($id: ID!) { job(id: $id) { id status finishedAt resultUrl resultExpired resultExpiresAt } }`;

interface Subject {
  teamId: string;
  jobId: string;
  uploadId: string;
  inputKey: string;
  resultKey: string;
  resultUrl: string;
}

/**
 * Retention with real jobs (tiny model) and a moved clock: each team's originals, results and
 * job records disappear from the blob store and the database on the team's own schedule, the
 * API says a result expired, old download links answer 410 RESULT_EXPIRED, the ledger still
 * balances, and a legal hold pauses all of it for its team.
 */
describe('retention of uploads, results and job records', () => {
  const clock = new FakeClock();
  let inference: InferenceProcess;
  let t: TestApi;
  let owner: SignedInUser;
  let byDefault: Subject;
  let custom: Subject;
  let held: Subject;
  let slotId: string;

  const blobFile = (key: string) => path.join(t.dataDir, 'blobs', key);
  const sweep = () => t.api.app.get(RetentionSweeperService).sweepOnce();
  const expiry = async (jobId: string) => (await owner.client.ok(EXPIRY, { id: jobId })).job;

  /** A declared upload PUT to its URL, then a job on it, run to SUCCEEDED. */
  async function aFinishedJob(teamId: string, key: string): Promise<Subject> {
    const { id: uploadId, put } = await uploadImage(owner.client, teamId, await aSubjectImage('png', 64, 64));
    expect(put.status).toBe(200);
    const { removeBackground } = await owner.client.ok(REMOVE, {
      i: { teamId, uploadId, idempotencyKey: key, options: { size: 'PREVIEW' } },
    });
    const done = await waitForJob(owner.client, removeBackground.id);
    expect(done.status).toBe('SUCCEEDED');
    const [row] = await t.sql<{ input: string; result: string }>(
      'SELECT input_blob_key AS input, result_blob_key AS result FROM jobs WHERE id = $1',
      [done.id],
    );
    return { teamId, jobId: done.id, uploadId, inputKey: row.input, resultKey: row.result, resultUrl: local(done.resultUrl) };
  }

  beforeAll(async () => {
    inference = await startInferenceProcess({ model: 'tiny' });
    // No scheduled sweep during the test: each sweep below is explicit.
    // Sessions outlive the ~100 days the clock moves (the sweeper deletes expired ones).
    t = await startTestApi({ INFERENCE_URLS: inference.address, PRIVACY_SWEEP_CRON: '0 0 1 1 *', SESSION_TTL_HOURS: '8760' }, { clock });
    owner = await aSignedInUser(t, 'retention');
    byDefault = await aFinishedJob(owner.personalTeamId, 'default-policy');
    const customTeam = await aFundedTeam(t, owner, 5, 'Short memory');
    await owner.client.ok(`mutation($i: UpdateRetentionPolicyInput!) { updateRetentionPolicy(input: $i) { teamId } }`, {
      i: { teamId: customTeam, uploadsHours: 2, resultsHours: 3, jobRecordsDays: 1 },
    });
    custom = await aFinishedJob(customTeam, 'custom-policy');
    const heldTeam = await aFundedTeam(t, owner, 5, 'Under hold');
    held = await aFinishedJob(heldTeam, 'held');
    await t.sql(`INSERT INTO legal_holds (subject_kind, subject_id, reference) VALUES ('TEAM', $1, 'case 7')`, [heldTeam]);
    // An upload slot never used: swept once its URL expired.
    const slot = await owner.client.ok(`mutation($i: CreateUploadInput!) { createUpload(input: $i) { id } }`, {
      i: { teamId: owner.personalTeamId, filename: 'never.png', contentType: 'image/png', byteSize: 100 },
    });
    slotId = slot.createUpload.id;
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    await inference?.close();
  });

  it('keeps everything while nothing has expired; the job says when its result expires', async () => {
    const report = await sweep();
    expect(report.counts).toMatchObject({ uploads: 0, results: 0, jobRecords: 0 });
    for (const s of [byDefault, custom, held]) {
      expect(existsSync(blobFile(s.inputKey))).toBe(true);
      expect(existsSync(blobFile(s.resultKey))).toBe(true);
    }
    const job = await expiry(byDefault.jobId);
    expect(job).toMatchObject({ resultExpired: false, resultUrl: expect.any(String) });
    expect(Date.parse(job.resultExpiresAt) - Date.parse(job.finishedAt)).toBe(168 * 3_600_000);
    expect(Date.parse((await expiry(custom.jobId)).resultExpiresAt) - Date.parse(job.finishedAt)).toBeLessThan(4 * 3_600_000);
  });

  it('after 4 hours: the custom team’s original and result, and the unused upload slot, are gone, its old link answers 410 RESULT_EXPIRED', async () => {
    clock.advanceHours(4);
    const report = await sweep();
    // The custom team's original, and the unused slot (its URL expired after UPLOAD_URL_TTL_SECONDS).
    expect(report.counts).toMatchObject({ uploads: 2, results: 1, jobRecords: 0 });
    expect(await t.sql('SELECT id FROM uploads WHERE id = $1', [slotId])).toEqual([]);
    expect(existsSync(blobFile(custom.inputKey))).toBe(false);
    expect(existsSync(blobFile(custom.resultKey))).toBe(false);
    expect(await t.sql('SELECT id FROM uploads WHERE id = $1', [custom.uploadId])).toEqual([]);
    expect(await t.sql('SELECT input_blob_key, result_blob_key, upload_id FROM jobs WHERE id = $1', [custom.jobId])).toEqual([
      { input_blob_key: null, result_blob_key: null, upload_id: null },
    ]);
    const job = await expiry(custom.jobId);
    expect(job).toMatchObject({ status: 'SUCCEEDED', resultExpired: true, resultUrl: null });
    expect(Date.parse(job.resultExpiresAt)).toBeLessThanOrEqual(clock.now().getTime());
    const res = await fetch(custom.resultUrl);
    expect([res.status, await res.json()]).toEqual([410, { error: { code: 'RESULT_EXPIRED', message: expect.any(String) } }]);
    // The default team's result still downloads.
    expect((await fetch(byDefault.resultUrl)).status).toBe(200);
  });

  it('after 25 hours: the default team’s original is gone; the custom team’s job record too', async () => {
    clock.advanceHours(21);
    const report = await sweep();
    expect(report.counts).toMatchObject({ uploads: 1, results: 0, jobRecords: 1 });
    expect(existsSync(blobFile(byDefault.inputKey))).toBe(false);
    expect(await t.sql('SELECT id FROM uploads WHERE id = ANY($1::uuid[])', [[byDefault.uploadId]])).toEqual([]);
    expect(await t.sql('SELECT input_blob_key FROM jobs WHERE id = $1', [byDefault.jobId])).toEqual([{ input_blob_key: null }]);
    expect(existsSync(blobFile(byDefault.resultKey))).toBe(true);
    // The custom team's job record is gone: job(id) is NOT_FOUND, its link still says RESULT_EXPIRED, the ledger balances.
    expect(await owner.client.errorCode(EXPIRY, { id: custom.jobId })).toBe('NOT_FOUND');
    expect((await fetch(custom.resultUrl)).status).toBe(410);
    expect(await ledgerProblems(t, custom.teamId)).toEqual([]);
    expect(await t.sql(`SELECT kind FROM credit_ledger WHERE reference = $1`, [custom.jobId])).toEqual([{ kind: 'JOB_CHARGE' }]);
  });

  it('after 7 days: the default team’s result is purged; after 90 days its job record', async () => {
    clock.advanceHours(168 - 25 + 1);
    expect((await sweep()).counts).toMatchObject({ results: 1, jobRecords: 0 });
    expect(existsSync(blobFile(byDefault.resultKey))).toBe(false);
    expect(await expiry(byDefault.jobId)).toMatchObject({ resultExpired: true, resultUrl: null });
    const res = await fetch(byDefault.resultUrl);
    expect(res.status).toBe(410);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('RESULT_EXPIRED');

    clock.advanceDays(90);
    expect((await sweep()).counts).toMatchObject({ jobRecords: 1 });
    expect(await owner.client.errorCode(EXPIRY, { id: byDefault.jobId })).toBe('NOT_FOUND');
    expect(await ledgerProblems(t, byDefault.teamId)).toEqual([]);
  });

  it('a legal hold paused everything for its team; once released, the next sweep removes it all', async () => {
    expect(existsSync(blobFile(held.inputKey))).toBe(true);
    expect(existsSync(blobFile(held.resultKey))).toBe(true);
    expect(await expiry(held.jobId)).toMatchObject({ resultExpired: false });
    expect((await fetch(held.resultUrl)).status).toBe(200);

    await t.sql('UPDATE legal_holds SET released_at = now() WHERE subject_id = $1', [held.teamId]);
    const report = await sweep();
    expect(report.counts).toMatchObject({ uploads: 1, jobRecords: 1 });
    expect(existsSync(blobFile(held.inputKey))).toBe(false);
    expect(existsSync(blobFile(held.resultKey))).toBe(false);
    expect(await t.sql('SELECT id FROM jobs WHERE team_id = $1', [held.teamId])).toEqual([]);
    expect(await ledgerProblems(t, held.teamId)).toEqual([]);
  });

  it('wrote one RETENTION_SWEEP audit entry per sweep that removed something, with its counts', async () => {
    const entries = await t.sql<{ actor_kind: string; details: { counts: Record<string, number> } }>(
      `SELECT actor_kind, details FROM audit_log WHERE action = 'RETENTION_SWEEP' ORDER BY occurred_at`,
    );
    expect(new Set(entries.map((e) => e.actor_kind))).toEqual(new Set(['SYSTEM']));
    const images = entries
      .map((e) => [e.details.counts.uploads, e.details.counts.results, e.details.counts.jobRecords])
      .filter((counts) => counts.some((n) => n > 0));
    expect(images).toEqual([
      [2, 1, 0],
      [1, 0, 1],
      [0, 1, 0],
      [0, 0, 1],
      [1, 0, 1],
    ]);
  });
});
