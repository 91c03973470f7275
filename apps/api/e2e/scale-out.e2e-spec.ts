import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
    await client.ok(`mutation($i: VerifyEmailInput!) { verifyEmail(input: $i) { id } }`, { i: { token } });
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
              void start('worker').then((w) => (secondWorker = w), reject);
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
    const { removeBackground: job } = await client.ok(REMOVE, { i: { teamId, uploadId: upload.id, idempotencyKey: 'cancel-running', options: { refine: true } } });
    const ws = client.ws();
    const statuses: string[] = [];
    await new Promise<void>((resolve, reject) =>
      ws.subscribe<{ jobUpdated: { status: string; stage: string } }>(
        { query: JOB_UPDATED, variables: { id: job.id } },
        {
          next: (value) => {
            const event = value.data!.jobUpdated;
            statuses.push(event.status);
            if (event.status === 'RUNNING' && statuses.filter((s) => s === 'RUNNING').length === 1) {
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
    await new Promise((r) => setTimeout(r, 1000));
    const { job: after } = await client.ok(JOB, { id: job.id });
    expect(after).toMatchObject({ status: 'CANCELED', result: null, resultUrl: null, error: { code: 'CANCELED' } });
    const results = readdirSync(path.join(dataDir, 'blobs', 'teams', teamId, 'results'));
    expect(results.filter((f) => f.startsWith(job.id))).toEqual([]);

    // The worker is free again.
    const next = await uploadImage(client, teamId, await aSubjectImage('png', 200, 200), 'image/png', 'next.png');
    const { removeBackground: again } = await client.ok(REMOVE, { i: { teamId, uploadId: next.id, idempotencyKey: 'after-cancel' } });
    const ws2 = client.ws();
    await new Promise<void>((resolve, reject) => ws2.subscribe({ query: JOB_UPDATED, variables: { id: again.id } }, { next: () => undefined, error: reject, complete: resolve }));
    await ws2.dispose();
    expect((await client.ok(JOB, { id: again.id })).job.status).toBe('SUCCEEDED');
  }, 120_000);
});
