import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { aNoisyImage } from '@cutout/testing';
import { findFreePort } from '@cutout/embedded-db';
import type { ApiHandle } from '../src/bootstrap/start-api';
import { spawnApiProcess } from '../testing/api-process';
import { aSignedInUser, type SignedInUser } from '../testing/builders';
import { holdInferenceSlot, startInferenceProcess, type InferenceProcess } from '../testing/inference-process';
import { JOB_UPDATED, REMOVE, uploadImage, waitForJob } from '../testing/jobs-client';
import { aSubjectImage } from '../testing/test-images';
import { startTestApi, type TestApi } from '../testing/test-api';
import { startTestWorker } from '../testing/test-worker';

/**
 * Every way a job can fail, each driven through the real path: an API replica (ROLE=api) that
 * cannot reach any inference server, workers (in this process, or a real child process where
 * one must die) on the same database, and the real inference service with the tiny model,
 * admitting one request at a time. Each job must end FAILED with its code and a clear message,
 * and leave nothing behind.
 */
describe('job failures, one per error code', () => {
  let inference: InferenceProcess;
  let t: TestApi;
  let owner: SignedInUser;
  let teamId: string;
  // One retry policy for every process here (each one applies its own to the shared queue).
  const queueEnv = { JOB_MAX_ATTEMPTS: '1', JOB_RETRY_DELAY_SECONDS: '0', JOB_HEARTBEAT_SECONDS: '10', QUEUE_MONITOR_SECONDS: '1' };

  beforeAll(async () => {
    inference = await startInferenceProcess({ model: 'tiny', env: { INFERENCE_QUEUE_DEPTH: '1' } });
    // Nothing listens on this port: the API replica cannot ask which models exist.
    t = await startTestApi({ ROLE: 'api', INFERENCE_URLS: `127.0.0.1:${await findFreePort()}`, ...queueEnv });
    owner = await aSignedInUser(t, 'failures');
    teamId = owner.personalTeamId;
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await inference?.close();
  });

  const withWorker = async <T>(env: Record<string, string>, work: (worker: ApiHandle) => Promise<T>): Promise<T> => {
    const worker = await startTestWorker(t, { INFERENCE_URLS: inference.address, ...queueEnv, ...env });
    try {
      return await work(worker);
    } finally {
      await worker.close();
    }
  };

  const submit = async (image: Buffer, key: string, options?: Record<string, unknown>, team = teamId, client = owner.client) => {
    const upload = await uploadImage(client, team, image, 'image/png', `${key}.png`);
    const { removeBackground } = await client.ok(REMOVE, { i: { teamId: team, uploadId: upload.id, idempotencyKey: key, options } });
    return removeBackground.id as string;
  };

  /** Resolves with the job's statuses once it reaches a final one; `onStatus` sees each event. */
  const follow = async (jobId: string, onStatus: (status: string) => void = () => undefined, client = owner.client) => {
    const ws = client.ws();
    const statuses: string[] = [];
    try {
      await new Promise<void>((resolve, reject) =>
        ws.subscribe<{ jobUpdated: { status: string } }>(
          { query: JOB_UPDATED, variables: { id: jobId } },
          {
            next: (v) => {
              if (v.errors) return reject(new Error(JSON.stringify(v.errors)));
              statuses.push(v.data!.jobUpdated.status);
              onStatus(v.data!.jobUpdated.status);
            },
            error: reject,
            complete: resolve,
          },
        ),
      );
    } finally {
      await ws.dispose();
    }
    return statuses;
  };

  /** FAILED with `code` and `message`, one attempt spent, no result anywhere, the upload kept. */
  const expectFailedCleanly = async (jobId: string, code: string, message: RegExp, team = teamId, client = owner.client) => {
    const job = await waitForJob(client, jobId, 90_000);
    expect(job).toMatchObject({
      status: 'FAILED',
      attempts: 1,
      error: { code },
      result: null,
      resultUrl: null,
      foregroundFraction: null,
      inferenceMs: null,
    });
    expect(job.error.message).toMatch(message);
    expect(job.error.message).not.toContain('127.0.0.1');
    const [row] = await t.sql<Record<string, unknown>>('SELECT * FROM jobs WHERE id = $1', [jobId]);
    expect(row).toMatchObject({ error_code: code, result_blob_key: null, result_content_type: null, result_bytes: null });
    expect(row.finished_at).toBeInstanceOf(Date);
    const results = path.join(t.dataDir, 'blobs', 'teams', team, 'results');
    const left = existsSync(results) && statSync(results).isDirectory() ? readdirSync(results).filter((f) => f.startsWith(jobId)) : [];
    expect(left).toEqual([]);
    const [upload] = await t.sql<{ n: string }>(
      `SELECT count(*) AS n FROM uploads WHERE id = (SELECT upload_id FROM jobs WHERE id = $1) AND uploaded_at IS NOT NULL`,
      [jobId],
    );
    expect(upload.n).toBe('1');
  };

  it('INPUT_UNAVAILABLE: the uploaded image is gone from the store when the job runs', async () => {
    const upload = await uploadImage(owner.client, teamId, await aSubjectImage('png', 64, 64), 'image/png', 'gone.png');
    const [{ blob_key }] = await t.sql<{ blob_key: string }>('SELECT blob_key FROM uploads WHERE id = $1', [upload.id]);
    rmSync(path.join(t.dataDir, 'blobs', blob_key));
    const { removeBackground: job } = await owner.client.ok(REMOVE, { i: { teamId, uploadId: upload.id, idempotencyKey: 'input-gone' } });
    await withWorker({}, () => expectFailedCleanly(job.id, 'INPUT_UNAVAILABLE', /^The uploaded image is no longer available\.$/));
  });

  it('INVALID_OPTIONS: the inference server refuses a model the API could not check at submit', async () => {
    const jobId = await submit(await aSubjectImage('png', 64, 64), 'unknown-model', { model: 'no-such-model' });
    await withWorker({}, () => expectFailedCleanly(jobId, 'INVALID_OPTIONS', /unknown model "no-such-model"; known models: tiny$/));
  });

  it('INFERENCE_BUSY: the only inference slot is taken when the job calls (no attempts left)', async () => {
    await withWorker({}, async () => {
      // Regression (a timing hold before): a large HIGH cut-out was meant to keep the slot while the job called,
      // which held only as long as the server was slower than the submit. A call that stops reading keeps it.
      const occupant = holdInferenceSlot(inference.address, await aNoisyImage(2400, 1800));
      await occupant.admitted;
      const jobId = await submit(await aSubjectImage('png', 64, 64), 'busy');
      await expectFailedCleanly(jobId, 'INFERENCE_BUSY', /^Every inference server is busy\.$/);
      expect(await occupant.release()).toEqual({ width: 2400, height: 1800 });
    });
  });

  it('INFERENCE_TIMEOUT: the inference server stops answering mid-call (SIGSTOP) past the deadline', async () => {
    await withWorker({ INFERENCE_DEADLINE_SECONDS: '1' }, async () => {
      const jobId = await submit(await aSubjectImage('png', 3000, 2000), 'timeout', { refine: true });
      try {
        await follow(jobId, (status) => {
          if (status === 'RUNNING') inference.process.kill('SIGSTOP');
        });
      } finally {
        inference.process.kill('SIGCONT');
      }
      await expectFailedCleanly(jobId, 'INFERENCE_TIMEOUT', /^The inference service did not finish within the deadline\.$/);
    });
  });

  it('WORKER_LOST: the worker of the last attempt is killed mid-job', async () => {
    const doomed = spawnApiProcess({
      ...t.env,
      ...queueEnv,
      ROLE: 'worker',
      PORT: '0',
      INFERENCE_URLS: inference.address,
      LOG_LEVEL: 'info',
    });
    try {
      await doomed.waitFor('worker started', 90_000);
      const jobId = await submit(await aSubjectImage('png', 3000, 2000), 'lost', { refine: true });
      await new Promise<void>((resolve, reject) => {
        follow(jobId, (status) => {
          if (status === 'RUNNING') {
            doomed.process.kill('SIGKILL');
            resolve();
          }
        }).catch(reject);
      });
      expect(await doomed.exited).toBe(null);
      // Its heartbeat stops; the queue hands the job to this worker, which finds no attempt left.
      await withWorker({}, () =>
        expectFailedCleanly(
          jobId,
          'WORKER_LOST',
          /^The worker running the job was lost \(stopped, or silent past its heartbeat\) and no attempts remain\.$/,
        ),
      );
    } finally {
      await doomed.stop('SIGKILL');
    }
  }, 150_000);

  it('INTERNAL_ERROR: the result cannot be stored (a file stands where the results folder goes), after every attempt', async () => {
    const other = await aSignedInUser(t, 'internal');
    const team = other.personalTeamId;
    const blocker = path.join(t.dataDir, 'blobs', 'teams', team, 'results');
    mkdirSync(path.dirname(blocker), { recursive: true });
    writeFileSync(blocker, 'not a folder');
    try {
      const jobId = await submit(await aSubjectImage('png', 64, 64), 'unstorable', undefined, team, other.client);
      // Each attempt's store failure sends the job back to the queue; the last one fails it, in the store's plain words.
      await withWorker({}, () =>
        expectFailedCleanly(jobId, 'INTERNAL_ERROR', /^The image store could not be reached; try again later\.$/, team, other.client),
      );
    } finally {
      rmSync(blocker);
    }
    // Nothing else of that team changed: its jobs list holds just this failed job.
    const { jobs } = await other.client.ok(`query($t: ID!) { jobs(teamId: $t) { edges { node { status error { code } } } } }`, { t: team });
    expect(jobs.edges).toEqual([{ node: { status: 'FAILED', error: { code: 'INTERNAL_ERROR' } } }]);
  });

  it('left every failed job of the main team FAILED with its own code', async () => {
    const rows = await t.sql<{ idempotency_key: string; status: string; error_code: string; attempt: number }>(
      'SELECT idempotency_key, status, error_code, attempt FROM jobs WHERE team_id = $1 ORDER BY created_at',
      [teamId],
    );
    expect(rows).toEqual([
      { idempotency_key: 'input-gone', status: 'FAILED', error_code: 'INPUT_UNAVAILABLE', attempt: 1 },
      { idempotency_key: 'unknown-model', status: 'FAILED', error_code: 'INVALID_OPTIONS', attempt: 1 },
      { idempotency_key: 'busy', status: 'FAILED', error_code: 'INFERENCE_BUSY', attempt: 1 },
      { idempotency_key: 'timeout', status: 'FAILED', error_code: 'INFERENCE_TIMEOUT', attempt: 1 },
      { idempotency_key: 'lost', status: 'FAILED', error_code: 'WORKER_LOST', attempt: 1 },
    ]);
  });
});
