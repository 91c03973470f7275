import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { findFreePort } from '@cutout/embedded-db';
import { A_PASSWORD, anEmail } from '../testing/builders';
import { TestClient } from '../testing/graphql-client';
import { spawnApiProcess, type ApiProcess } from '../testing/api-process';
import { startInferenceProcess, type InferenceProcess } from '../testing/inference-process';
import { JOB, JOB_UPDATED, REMOVE, uploadImage } from '../testing/jobs-client';
import { aSubjectImage } from '../testing/test-images';
import { createTestDatabase } from '../testing/test-database';

/**
 * Scale-out with real processes and the real default model: an API replica (ROLE=api)
 * streams progress made by separate worker processes (ROLE=worker) through PostgreSQL
 * LISTEN/NOTIFY; a worker killed mid-job loses its lease and another finishes the job
 * exactly once.
 */
describe('API and worker processes', () => {
  let inference: InferenceProcess;
  let db: { url: string; drop(): Promise<void> };
  let dataDir: string;
  const processes: ApiProcess[] = [];
  let env: Record<string, string>;
  let client: TestClient;
  let teamId: string;
  let port: number;
  /** The worker left running by the previous test. */
  let liveWorker: ApiProcess;
  /** Log lines of the inference service matching `pattern` so far. */
  const inferenceLines = (pattern: RegExp) =>
    inference
      .logs()
      .split('\n')
      .filter((line) => pattern.test(line)).length;
  const CANCELLED_CALL = /"msg":"request refused".*request cancelled|request cancelled.*"msg":"request refused"/;
  const COMPLETED_CALL = /"msg":"removed background"/;
  const jobRow = async (id: string) => {
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    try {
      return (await pg.query('SELECT * FROM jobs WHERE id = $1', [id])).rows[0] as Record<string, unknown>;
    } finally {
      await pg.end();
    }
  };

  beforeAll(async () => {
    [inference, db] = await Promise.all([startInferenceProcess({ model: 'medium' }), createTestDatabase()]);
    dataDir = mkdtempSync(path.join(tmpdir(), 'cutout-scale-'));
    env = {
      DATABASE_URL: db.url,
      DATA_DIR: dataDir,
      MASTER_KEY: randomBytes(32).toString('base64'),
      INFERENCE_URLS: inference.address,
      JOB_HEARTBEAT_SECONDS: '10',
      QUEUE_MONITOR_SECONDS: '1',
      JOB_RETRY_DELAY_SECONDS: '0',
      HOST: '127.0.0.1',
    };
  }, 180_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
    await inference?.close();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async (role: 'api' | 'worker', port = 0) => {
    const p = spawnApiProcess({ ...env, ROLE: role, PORT: String(port) });
    processes.push(p);
    await p.waitFor(role === 'api' ? 'ready at' : 'worker started');
    return p;
  };

  it('relays progress across processes and finishes a job exactly once after its worker is killed', async () => {
    port = await findFreePort();
    await start('api', port);
    const firstWorker = await start('worker');
    const base = `http://127.0.0.1:${port}`;

    client = new TestClient(base);
    const email = anEmail('scale');
    await client.ok(`mutation($i: SignUpInput!) { signUp(input: $i) { id } }`, { i: { email, password: A_PASSWORD } });
    const mails = (await (await fetch(`${base}/dev/mailbox`)).json()) as { text: string }[];
    const token = decodeURIComponent(/token=(\S+)/.exec(mails[0].text)![1]);
    await client.ok(`mutation($i: VerifyEmailInput!) { verifyEmail(input: $i) { id } }`, { i: { token, password: A_PASSWORD } });
    await client.ok(`mutation($i: SignInInput!) { signIn(input: $i) { id } }`, { i: { email, password: A_PASSWORD } });
    teamId = (await client.ok(`{ teams { edges { node { id } } } }`)).teams.edges[0].node.id as string;

    const upload = await uploadImage(client, teamId, await aSubjectImage('jpeg', 800, 600), 'image/jpeg', 'scale.jpg');
    const { removeBackground: job } = await client.ok(REMOVE, { i: { teamId, uploadId: upload.id, idempotencyKey: 'scale-1' } });

    const events: { status: string; stage: string }[] = [];
    const ws = client.ws();
    let secondWorker: ApiProcess | undefined;
    await new Promise<void>((resolve, reject) =>
      ws.subscribe<{ jobUpdated: { status: string; stage: string } }>(
        { query: JOB_UPDATED, variables: { id: job.id } },
        {
          next: (value) => {
            if (value.errors) return reject(new Error(JSON.stringify(value.errors)));
            const event = value.data!.jobUpdated;
            events.push(event);
            // The first worker claimed the job and is running the model: kill it mid-job.
            if (event.status === 'RUNNING' && !secondWorker) {
              firstWorker.process.kill('SIGKILL');
              secondWorker = {} as ApiProcess;
              void start('worker').then((w) => (secondWorker = liveWorker = w), reject);
            }
          },
          error: reject,
          complete: resolve,
        },
      ),
    );
    await ws.dispose();

    expect(await firstWorker.exited).toBe(null);
    expect(events.at(-1)).toMatchObject({ status: 'SUCCEEDED', stage: 'STORED' });
    expect(events.filter((e) => e.status === 'RUNNING' && e.stage === 'QUEUED').length).toBe(2);
    const { job: done } = await client.ok(JOB, { id: job.id });
    expect(done).toMatchObject({ status: 'SUCCEEDED', attempts: 2, result: { width: 800, height: 600, contentType: 'image/png' } });
    const results = readdirSync(path.join(dataDir, 'blobs', 'teams', teamId, 'results'));
    expect(results).toEqual([`${job.id}-2.png`]);
    const download = await fetch(done.resultUrl.replace('localhost', '127.0.0.1'));
    expect(download.status).toBe(200);
  }, 180_000);

  it('cancels a running job: the worker stops the inference call and stores no result', async () => {
    const upload = await uploadImage(client, teamId, await aSubjectImage('jpeg', 1600, 1200), 'image/jpeg', 'cancel.jpg');
    const { removeBackground: job } = await client.ok(REMOVE, {
      i: { teamId, uploadId: upload.id, idempotencyKey: 'cancel-running', options: { refine: true } },
    });
    const cancelledBefore = inferenceLines(CANCELLED_CALL);
    const completedBefore = inferenceLines(COMPLETED_CALL);
    const ws = client.ws();
    const statuses: string[] = [];
    let canceled = false;
    await new Promise<void>((resolve, reject) =>
      ws.subscribe<{ jobUpdated: { status: string; stage: string } }>(
        { query: JOB_UPDATED, variables: { id: job.id } },
        {
          next: (value) => {
            const event = value.data!.jobUpdated;
            statuses.push(event.status);
            // DECODED is relayed from the inference service: its call is in flight (the model runs next).
            if (event.stage === 'DECODED' && !canceled) {
              canceled = true;
              client.ok(`mutation($i: CancelJobInput!) { cancelJob(input: $i) { status } }`, { i: { id: job.id } }).catch(reject);
            }
          },
          error: reject,
          complete: resolve,
        },
      ),
    );
    await ws.dispose();
    expect(statuses.at(-1)).toBe('CANCELED');
    // The inference service saw its call cancelled (it logs that when the request's signal fires
    // and its work stops) and never completed it.
    for (let i = 0; i < 600 && inferenceLines(CANCELLED_CALL) === cancelledBefore; i++) await new Promise((r) => setTimeout(r, 100));
    expect(inferenceLines(CANCELLED_CALL)).toBe(cancelledBefore + 1);
    expect(inferenceLines(COMPLETED_CALL)).toBe(completedBefore);
    const { job: after } = await client.ok(JOB, { id: job.id });
    expect(after).toMatchObject({ status: 'CANCELED', result: null, resultUrl: null, error: { code: 'CANCELED' } });
    const results = readdirSync(path.join(dataDir, 'blobs', 'teams', teamId, 'results'));
    expect(results.filter((f) => f.startsWith(job.id))).toEqual([]);

    // The worker is free again.
    const next = await uploadImage(client, teamId, await aSubjectImage('png', 200, 200), 'image/png', 'next.png');
    const { removeBackground: again } = await client.ok(REMOVE, { i: { teamId, uploadId: next.id, idempotencyKey: 'after-cancel' } });
    const ws2 = client.ws();
    await new Promise<void>((resolve, reject) =>
      ws2.subscribe({ query: JOB_UPDATED, variables: { id: again.id } }, { next: () => undefined, error: reject, complete: resolve }),
    );
    await ws2.dispose();
    expect((await client.ok(JOB, { id: again.id })).job.status).toBe('SUCCEEDED');
  }, 120_000);

  it('refuses the result of a worker paused past its heartbeat: another worker finishes the job, exactly once', async () => {
    const stale = liveWorker;
    // A mask of a small photo: the whole answer fits in one HTTP/2 window, so it waits complete
    // in the paused worker's socket and the worker resumes holding a finished result.
    const upload = await uploadImage(client, teamId, await aSubjectImage('jpeg', 320, 240), 'image/jpeg', 'paused.jpg');
    const { removeBackground: job } = await client.ok(REMOVE, {
      i: { teamId, uploadId: upload.id, idempotencyKey: 'paused-worker', options: { type: 'MASK' } },
    });
    const ws = client.ws();
    const events: { status: string; stage: string }[] = [];
    let next: Promise<ApiProcess> | undefined;
    await new Promise<void>((resolve, reject) =>
      ws.subscribe<{ jobUpdated: { status: string; stage: string } }>(
        { query: JOB_UPDATED, variables: { id: job.id } },
        {
          next: (value) => {
            if (value.errors) return reject(new Error(JSON.stringify(value.errors)));
            events.push(value.data!.jobUpdated);
            // Its call is in flight (DECODED comes from the inference service): freeze the worker
            // past its heartbeat, and start another one to take the job over.
            if (value.data!.jobUpdated.stage === 'DECODED' && !next) {
              stale.process.kill('SIGSTOP');
              next = start('worker');
              next.catch(reject);
            }
          },
          error: reject,
          complete: resolve,
        },
      ),
    );
    await ws.dispose();
    await next;
    expect(events.at(-1)).toMatchObject({ status: 'SUCCEEDED', stage: 'STORED' });
    expect(events.filter((e) => e.status === 'RUNNING' && e.stage === 'QUEUED')).toHaveLength(2);
    const done = await jobRow(job.id);
    expect(done).toMatchObject({ status: 'SUCCEEDED', attempt: 2, result_blob_key: `teams/${teamId}/results/${job.id}-2.png` });

    // The paused worker resumes with its finished result: the write is refused, its blob deleted,
    // and the row (updated_at included) stays exactly as the second worker left it.
    stale.process.kill('SIGCONT');
    await stale.waitFor(new RegExp(`"jobId":"${job.id}".*"attempt":1.*stale result discarded`), 60_000);
    expect(await jobRow(job.id)).toEqual(done);
    const results = readdirSync(path.join(dataDir, 'blobs', 'teams', teamId, 'results')).filter((f) => f.startsWith(job.id));
    expect(results).toEqual([`${job.id}-2.png`]);
    expect((await client.ok(JOB, { id: job.id })).job).toMatchObject({
      status: 'SUCCEEDED',
      attempts: 2,
      result: { contentType: 'image/png', width: 320, height: 240 },
    });
    expect(stale.process.exitCode).toBe(null);
  }, 180_000);
});
