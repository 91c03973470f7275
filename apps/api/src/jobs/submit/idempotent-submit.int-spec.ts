import { readdirSync } from 'node:fs';
import path from 'node:path';
import { aSignedInUser, type SignedInUser } from '../../../testing/builders';
import { REMOVE, uploadImage } from '../../../testing/jobs-client';
import { aSubjectImage } from '../../../testing/test-images';
import { startTestApi, type TestApi } from '../../../testing/test-api';
import { JobsRepository } from '../jobs.repository';

/**
 * Concurrent removeBackground calls with one idempotencyKey and inline images: one job,
 * and every losing request removes the upload row and the blob it stored.
 */
describe('idempotent submit under concurrency', () => {
  let t: TestApi;
  let owner: SignedInUser;

  beforeAll(async () => {
    // No worker (ROLE=api): jobs stay queued, so only the submit path touches uploads.
    t = await startTestApi({ ROLE: 'api' });
    owner = await aSignedInUser(t, 'samekey');
  });
  afterAll(() => t?.close());

  const uploadBlobs = (teamId: string): string[] => {
    try {
      return readdirSync(path.join(t.dataDir, 'blobs', 'teams', teamId, 'uploads'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  };

  it('creates one job and removes the losers’ inline uploads, rows and blobs', async () => {
    const teamId = owner.personalTeamId;
    const imageBase64 = (await aSubjectImage('png', 96, 96)).toString('base64');
    const submits = Array.from({ length: 8 }, () =>
      owner.client.ok(REMOVE, { i: { teamId, imageBase64, idempotencyKey: 'same-key', filename: 'same.png' } }),
    );
    const answers = await Promise.all(submits);

    const jobIds = new Set(answers.map((a) => a.removeBackground.id as string));
    expect(jobIds.size).toBe(1);
    const jobs = await t.sql<{ id: string; upload_id: string; input_blob_key: string }>(
      'SELECT id, upload_id, input_blob_key FROM jobs WHERE team_id = $1',
      [teamId],
    );
    expect(jobs).toHaveLength(1);
    const uploads = await t.sql<{ id: string; blob_key: string }>('SELECT id, blob_key FROM uploads WHERE team_id = $1', [teamId]);
    expect(uploads).toEqual([{ id: jobs[0].upload_id, blob_key: jobs[0].input_blob_key }]);
    expect(uploadBlobs(teamId)).toEqual([path.basename(jobs[0].input_blob_key)]);
  });

  it('answers NOT_FOUND, charging nothing, when the upload is swept between its read and the job’s insert', async () => {
    // Regression (review): the foreign key refused the job (23503) and the caller got INTERNAL.
    const teamId = owner.personalTeamId;
    const { id: uploadId, put } = await uploadImage(owner.client, teamId, await aSubjectImage('png', 32, 32));
    expect(put.status).toBe(200);
    const repository = t.api.app.get(JobsRepository);
    const create = repository.create.bind(repository);
    // The retention sweep deletes the upload after the submit read it, before the job is inserted.
    const spy = jest.spyOn(repository, 'create').mockImplementation(async (job, alongside) => {
      await t.sql('DELETE FROM uploads WHERE id = $1', [uploadId]);
      return create(job, alongside);
    });
    const charges = async () =>
      (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM credit_ledger WHERE team_id = $1 AND kind = 'JOB_CHARGE'`, [teamId]))[0]
        .n;
    const chargedBefore = await charges();
    try {
      expect(await owner.client.errorCode(REMOVE, { i: { teamId, uploadId, idempotencyKey: 'swept-upload' } })).toBe('NOT_FOUND');
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
    expect(await charges()).toBe(chargedBefore);
    expect(await t.sql(`SELECT id FROM jobs WHERE team_id = $1 AND idempotency_key = 'swept-upload'`, [teamId])).toEqual([]);
    // The same answer as for an upload already gone when the submit reads it.
    expect(await owner.client.errorCode(REMOVE, { i: { teamId, uploadId, idempotencyKey: 'swept-upload' } })).toBe('NOT_FOUND');
  });
});
