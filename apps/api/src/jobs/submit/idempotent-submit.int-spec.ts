import { readdirSync } from 'node:fs';
import path from 'node:path';
import { aSignedInUser, type SignedInUser } from '../../../testing/builders';
import { REMOVE } from '../../../testing/jobs-client';
import { aSubjectImage } from '../../../testing/test-images';
import { startTestApi, type TestApi } from '../../../testing/test-api';

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
});
