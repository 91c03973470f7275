import { existsSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { aSignedInUser, type SignedInUser } from '../../testing/builders';
import { idsNamed } from '../../testing/file-names';
import { REMOVE, uploadImage } from '../../testing/jobs-client';
import { aSubjectImage } from '../../testing/test-images';
import { startTestApi, type TestApi } from '../../testing/test-api';
import { FakeClock } from '../common/clock.fake';
import { SubjectDataService } from '../privacy/personal-data/subject-data.service';
import { RetentionSweeperService } from '../privacy/retention/retention-sweeper.service';
import { RESULT_COMMIT_GRACE_MS } from '../jobs/worker/job-runner.service';
import { BlobDeletions } from './blob-deletions';
import { BlobStore } from './blob-store';
import { EncryptedBlobsService } from './encrypted-blobs.service';

/**
 * The retention sweep's, an erasure's and a failed upload's blob deletions survive a store failure:
 * the rows that named the blobs commit with the keys (or the erased person's folders) queued
 * (pending_blob_deletions), and a later sweep deletes what the failed one left. The real API, its database and its local-disk store; only the store's
 * delete is made to fail, as an unreachable S3 would.
 */
describe('blob deletions queued with the sweep (pending_blob_deletions)', () => {
  const clock = new FakeClock();
  let t: TestApi;
  let owner: SignedInUser;

  const sweep = () => t.api.app.get(RetentionSweeperService).sweepOnce();
  const blobFile = (key: string) => path.join(t.dataDir, 'blobs', key);
  const pending = async () => (await t.sql<{ key: string }>('SELECT key FROM pending_blob_deletions ORDER BY key')).map((r) => r.key);

  /** An uploaded original (bytes PUT) of `by`'s personal team, and its blob's key. */
  async function anUpload(by: SignedInUser = owner): Promise<{ id: string; key: string }> {
    const { id, put } = await uploadImage(by.client, by.personalTeamId, await aSubjectImage('png', 32, 32));
    expect(put.status).toBe(200);
    const [row] = await t.sql<{ key: string }>('SELECT blob_key AS key FROM uploads WHERE id = $1', [id]);
    expect(existsSync(blobFile(row.key))).toBe(true);
    return { id, key: row.key };
  }

  beforeAll(async () => {
    t = await startTestApi({ PRIVACY_SWEEP_CRON: '0 0 1 1 *', RETENTION_UPLOADS_HOURS: '1', SESSION_TTL_HOURS: '8760' }, { clock });
    owner = await aSignedInUser(t, 'blob-deletions');
  }, 120_000);
  afterAll(() => t?.close());

  it('deletes an expired original and leaves nothing queued when the store answers', async () => {
    const upload = await anUpload();
    clock.advanceHours(2);
    const report = await sweep();
    expect(report.failed).toEqual([]);
    expect(report.counts).toMatchObject({ uploads: 1, pendingBlobs: 0 });
    expect(existsSync(blobFile(upload.key))).toBe(false);
    expect(await pending()).toEqual([]);
  });

  it('a result queued ahead of its write (a worker that never committed it) outlives sweeps during its grace, and the first sweep after deletes it', async () => {
    // Regression: a worker's result whose job commit failed, or whose worker died after writing it, stayed in the store for ever.
    const key = `teams/${owner.personalTeamId}/results/00000000-0000-4000-8000-00000000abcd-1.png`;
    await t.api.app.get(BlobDeletions).queueAhead(key, new Date(clock.now().getTime() + RESULT_COMMIT_GRACE_MS));
    await t.api.app.get(EncryptedBlobsService).put(owner.personalTeamId, key, await aSubjectImage('png', 16, 16));
    clock.advance(RESULT_COMMIT_GRACE_MS - 60_000);
    expect((await sweep()).failed).toEqual([]);
    expect(existsSync(blobFile(key))).toBe(true);
    expect(await pending()).toEqual([key]);
    clock.advance(2 * 60_000);
    const report = await sweep();
    expect(report.counts).toMatchObject({ pendingBlobs: 1 });
    expect(existsSync(blobFile(key))).toBe(false);
    expect(await pending()).toEqual([]);
  });

  it("a store that fails mid-sweep: the row goes (counted in the run's audit entry), the blob stays queued, and the next sweep deletes it", async () => {
    // Regression: the keys lived only in the sweep's memory; once the rows committed, a failed
    // (or never reached) delete left the blob in the store for ever, with no row naming it.
    const upload = await anUpload();
    clock.advanceHours(2);
    const store = t.api.app.get(BlobStore);
    const outage = jest.spyOn(store, 'delete').mockRejectedValueOnce(new Error('the store is unreachable'));
    try {
      const failed = await sweep();
      expect(failed.failed).toEqual(['uploads']);
      expect(await t.sql('SELECT id FROM uploads WHERE id = $1', [upload.id])).toEqual([]);
      expect(existsSync(blobFile(upload.key))).toBe(true);
      expect(await pending()).toEqual([upload.key]);
      // The run's audit entry counts the batch that committed before the store failed.
      expect(failed.counts.uploads).toBe(1);
      const [entry] = await t.sql<{ details: { counts: Record<string, number>; failed: string[] } }>(
        `SELECT details FROM audit_log WHERE action = 'RETENTION_SWEEP' ORDER BY occurred_at DESC LIMIT 1`,
      );
      expect(entry.details.failed).toContain('uploads');
      expect(entry.details.counts.uploads).toBe(1);
    } finally {
      outage.mockRestore();
    }
    clock.advance(60_000);
    const next = await sweep();
    expect(next.failed).toEqual([]);
    expect(next.counts).toMatchObject({ pendingBlobs: 1 });
    expect(existsSync(blobFile(upload.key))).toBe(false);
    expect(await pending()).toEqual([]);
  });

  it('a sweep retries only what was queued before it began (not its own batches in flight); a queued blob already gone is no error', async () => {
    // Queued "during" the next sweep: a second after the clock's now.
    await t.sql('INSERT INTO pending_blob_deletions (key, queued_at) VALUES ($1, $2)', [
      `teams/${owner.personalTeamId}/uploads/already-gone`,
      new Date(clock.now().getTime() + 1000),
    ]);
    expect((await sweep()).counts).toMatchObject({ pendingBlobs: 0 });
    expect(await pending()).toEqual([`teams/${owner.personalTeamId}/uploads/already-gone`]);
    clock.advance(60_000);
    const report = await sweep();
    expect([report.failed, report.counts.pendingBlobs]).toEqual([[], 1]);
    expect(await pending()).toEqual([]);
  });

  it('an erasure queues the person’s blob folders with its transaction: a store failing after the commit leaves them queued, and the next sweep deletes them', async () => {
    // Regression: the erasure deleted `teams/<id>/` and `users/<id>/` after its commit from memory
    // only; a store error there left the (crypto-shredded) blobs in the store for ever.
    const person = await aSignedInUser(t, 'erased');
    const upload = await anUpload(person);
    const store = t.api.app.get(BlobStore);
    const archiveKey = `users/${person.id}/exports/an-archive.zip`;
    await store.put(archiveKey, Readable.from([Buffer.from('sealed archive bytes')]));
    const subjects = t.api.app.get(SubjectDataService, { strict: false });
    const subject = await subjects.resolveSubject(person.id);
    if (!subject) throw new Error('no subject');
    const folders = [`teams/${person.personalTeamId}/`, `users/${person.id}/`].sort();
    const outage = jest.spyOn(store, 'deletePrefix').mockRejectedValue(new Error('the store is unreachable'));
    try {
      const receipt = await subjects.erase(subject);
      expect(receipt.counts).toMatchObject({ 'storage.uploads': 1, 'cleanup.failed': 2 });
      expect(outage).toHaveBeenCalledTimes(2);
    } finally {
      outage.mockRestore();
    }
    expect(await t.sql('SELECT id FROM users WHERE id = $1', [person.id])).toEqual([]);
    expect([existsSync(blobFile(upload.key)), existsSync(blobFile(archiveKey))]).toEqual([true, true]);
    expect(await pending()).toEqual(folders);

    clock.advance(60_000);
    const report = await sweep();
    expect(report.failed).toEqual([]);
    expect(report.counts).toMatchObject({ pendingBlobs: 2 });
    expect([existsSync(blobFile(upload.key)), existsSync(blobFile(archiveKey))]).toEqual([false, false]);
    expect(await pending()).toEqual([]);
  });

  it('an erasure whose store answers deletes the folders at once and leaves nothing queued', async () => {
    const person = await aSignedInUser(t, 'erased-cleanly');
    const upload = await anUpload(person);
    const subjects = t.api.app.get(SubjectDataService, { strict: false });
    const subject = await subjects.resolveSubject(person.id);
    if (!subject) throw new Error('no subject');
    const receipt = await subjects.erase(subject);
    expect(receipt.counts['cleanup.failed']).toBeUndefined();
    expect(existsSync(blobFile(upload.key))).toBe(false);
    expect(await pending()).toEqual([]);
  });

  /**
   * The store's put writes the bytes and then fails once (as a store that breaks mid-request would), and
   * its next delete fails too: answers the keys it was given.
   */
  function aStoreFailingAfterWriting(): { keys: string[]; restore(): void } {
    const store = t.api.app.get(BlobStore);
    const put = store.put.bind(store);
    const keys: string[] = [];
    const failing = jest.spyOn(store, 'put').mockImplementationOnce(async (key, body) => {
      keys.push(key);
      await put(key, body);
      throw new Error('the store failed after writing');
    });
    const outage = jest.spyOn(store, 'delete').mockRejectedValueOnce(new Error('the store is unreachable'));
    return {
      keys,
      restore: () => {
        failing.mockRestore();
        outage.mockRestore();
      },
    };
  }

  /** The next sweep (a minute on) deletes `key` and empties the queue. */
  async function expectTheNextSweepToDelete(key: string): Promise<void> {
    clock.advance(60_000);
    const report = await sweep();
    expect(report.failed).toEqual([]);
    expect(report.counts).toMatchObject({ pendingBlobs: 1 });
    expect(existsSync(blobFile(key))).toBe(false);
    expect(await pending()).toEqual([]);
  }

  it('a PUT whose store fails after writing: its key is queued with the claim’s release, the URL works again, and the next sweep deletes the bytes', async () => {
    // Regression: the failed attempt's blob was deleted best effort only; a store failing that delete too kept it for ever.
    const image = await aSubjectImage('png', 32, 32);
    const store = aStoreFailingAfterWriting();
    let upload: Awaited<ReturnType<typeof uploadImage>>;
    try {
      upload = await uploadImage(owner.client, owner.personalTeamId, image);
    } finally {
      store.restore();
    }
    expect(upload.put.status).toBe(500);
    expect(store.keys).toHaveLength(1);
    const [key] = store.keys;
    expect(existsSync(blobFile(key))).toBe(true);
    expect(await pending()).toEqual([key]);
    expect(await t.sql('SELECT blob_key, claimed_until FROM uploads WHERE id = $1', [upload.id])).toEqual([
      { blob_key: null, claimed_until: null },
    ]);
    const again = await fetch(upload.uploadUrl.replace('localhost', '127.0.0.1'), {
      method: 'PUT',
      body: new Uint8Array(image),
      headers: { 'content-type': 'image/png' },
    });
    expect(again.status).toBe(200);
    await expectTheNextSweepToDelete(key);
  });

  it('an inline image whose store fails after writing: its row goes, its key is queued, and the next sweep deletes the bytes', async () => {
    // Regression: the failed delete threw before the row was removed, so the row stayed and nothing was queued.
    const filename = 'inline-store-failure.png';
    const imageBase64 = (await aSubjectImage('png', 32, 32)).toString('base64');
    const store = aStoreFailingAfterWriting();
    let answer: Awaited<ReturnType<typeof owner.client.gql>>;
    try {
      answer = await owner.client.gql(REMOVE, {
        i: { teamId: owner.personalTeamId, imageBase64, filename, idempotencyKey: 'inline-store-failure' },
      });
    } finally {
      store.restore();
    }
    expect(answer.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(await idsNamed(t, 'uploads', filename)).toEqual([]);
    expect(await t.sql('SELECT id FROM jobs WHERE idempotency_key = $1', ['inline-store-failure'])).toEqual([]);
    const [key] = store.keys;
    expect(existsSync(blobFile(key))).toBe(true);
    expect(await pending()).toEqual([key]);
    await expectTheNextSweepToDelete(key);
  });
});
