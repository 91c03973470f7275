/**
 * npm run bench:jobs [-- --json] [--rounds N] [--subscribers N]
 *
 * With the real default model on ../shared/eval/speed: end-to-end job time (mutation →
 * result downloaded) against the inference call alone, submit→RUNNING pickup latency, and
 * N concurrent graphql-ws subscribers on one job (all events delivered? latency p99).
 * Everything real: embedded PostgreSQL, the inference service process, the API in-process.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbeddedPostgres, findFreePort } from '@cutout/embedded-db';
import { InferenceClient } from '@cutout/inference-contract';
import type { Client } from 'graphql-ws';
import { startApi } from '../src/bootstrap/start-api';
import { createLogger } from '../src/common/logger';
import { loadApiConfig } from '../src/config/api.config';
import { A_PASSWORD } from '../testing/builders';
import { TestClient } from '../testing/graphql-client';
import { startInferenceProcess } from '../testing/inference-process';
import { REMOVE, uploadImage } from '../testing/jobs-client';
import { aSubjectImage } from '../testing/test-images';

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '2' },
    subscribers: { type: 'string', default: '200' },
    pickups: { type: 'string', default: '20' },
    speed: { type: 'string', default: path.join(__dirname, '..', '..', '..', '..', 'shared', 'eval', 'speed') },
  },
});

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] : NaN;
};
const median = (xs: number[]) => quantile(xs, 0.5);
const r1 = (x: number) => Math.round(x * 10) / 10;
const log = (...m: unknown[]) => console.error(...m);

type JobEvent = { status: string; stage: string; at: string };

function follow(ws: Client, jobId: string, onEvent?: (e: JobEvent, receivedAt: number) => void): Promise<void> {
  return new Promise((resolve, reject) =>
    ws.subscribe<{ jobUpdated: JobEvent }>(
      { query: `subscription($id: ID!) { jobUpdated(jobId: $id) { status stage at } }`, variables: { id: jobId } },
      { next: (v) => (v.errors ? reject(new Error(JSON.stringify(v.errors))) : onEvent?.(v.data!.jobUpdated, Date.now())), error: reject, complete: resolve },
    ),
  );
}

async function main(): Promise<void> {
  const photos = fs
    .readdirSync(args.speed)
    .filter((f) => /\.(jpe?g|png|webp)$/i.test(f))
    .map((f) => ({ name: f, bytes: fs.readFileSync(path.join(args.speed, f)) }));
  if (!photos.length) throw new Error(`no photos in ${args.speed}`);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cutout-bench-jobs-'));
  log(`bench:jobs — ${photos.length} photos, ${os.cpus().length} cores; starting PostgreSQL, inference (medium) and the API…`);
  const [pg, inference] = await Promise.all([startEmbeddedPostgres({ dataDir: path.join(root, 'pg') }), startInferenceProcess({ model: 'medium' })]);
  const port = await findFreePort();
  const config = loadApiConfig({
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: pg.url,
    DATA_DIR: path.join(root, 'data'),
    MASTER_KEY: randomBytes(32).toString('base64'),
    INFERENCE_URLS: inference.address,
    WORKER_CONCURRENCY: '1',
    LOG_LEVEL: 'warn',
    // Every subscriber is its own socket from 127.0.0.1 (plus the bench's own).
    WS_MAX_SOCKETS_PER_IP: String(Number(args.subscribers) + 10),
  });
  const api = await startApi(config, createLogger('warn'));
  const base = `http://127.0.0.1:${port}`;
  const direct = new InferenceClient({ urls: [inference.address], deadlineMs: 300_000 });
  try {
    const client = new TestClient(base);
    const email = `bench-${Date.now()}@example.com`;
    await client.ok(`mutation($i: SignUpInput!) { signUp(input: $i) { id } }`, { i: { email, password: A_PASSWORD } });
    await new Promise((r) => setTimeout(r, 300));
    const mails = (await (await fetch(`${base}/dev/mailbox`)).json()) as { text: string }[];
    await client.ok(`mutation($i: VerifyEmailInput!) { verifyEmail(input: $i) { id } }`, { i: { token: decodeURIComponent(/token=(\S+)/.exec(mails[0].text)![1]) } });
    await client.ok(`mutation($i: SignInInput!) { signIn(input: $i) { id } }`, { i: { email, password: A_PASSWORD } });
    const teamId = (await client.ok(`{ teams { edges { node { id } } } }`)).teams.edges[0].node.id as string;
    const ws = client.ws();

    let n = 0;
    const runJob = async (uploadId: string) => {
      const t0 = performance.now();
      const { removeBackground } = await client.ok(`mutation($i: RemoveBackgroundInput!) { removeBackground(input: $i) { id } }`, {
        i: { teamId, uploadId, idempotencyKey: `bench-${++n}` },
      });
      await follow(ws, removeBackground.id);
      const { job } = await client.ok(`query($id: ID!) { job(id: $id) { status resultUrl } }`, { id: removeBackground.id });
      if (job.status !== 'SUCCEEDED') throw new Error(`job ${removeBackground.id} ${job.status}`);
      const res = await fetch(job.resultUrl.replace('localhost', '127.0.0.1'));
      await res.arrayBuffer();
      return { ms: performance.now() - t0, jobId: removeBackground.id as string };
    };

    // Warm-up: one inference call and one job.
    const warm = await uploadImage(client, teamId, photos[0].bytes, 'image/jpeg', photos[0].name);
    await direct.removeBackground({ image: photos[0].bytes });
    await runJob(warm.id);

    const inferenceMs: number[] = [];
    const jobMs: number[] = [];
    const uploadMs: number[] = [];
    const jobIds: string[] = [];
    for (let round = 0; round < Number(args.rounds); round++) {
      for (const photo of photos) {
        const type = /\.png$/i.test(photo.name) ? 'image/png' : 'image/jpeg';
        const u0 = performance.now();
        const upload = await uploadImage(client, teamId, photo.bytes, type, photo.name);
        uploadMs.push(performance.now() - u0);
        const i0 = performance.now();
        await direct.removeBackground({ image: photo.bytes });
        inferenceMs.push(performance.now() - i0);
        const job = await runJob(upload.id);
        jobMs.push(job.ms);
        jobIds.push(job.jobId);
        log(`  ${photo.name}: inference ${r1(inferenceMs.at(-1)!)} ms, job ${r1(job.ms)} ms`);
      }
    }

    // Pickup latency on small images (the worker is idle at each submit).
    const small = await aSubjectImage('png', 256, 256);
    for (let i = 0; i < Number(args.pickups); i++) {
      const upload = await uploadImage(client, teamId, small, 'image/png', 'small.png');
      jobIds.push((await runJob(upload.id)).jobId);
    }
    const pickups = (
      await api.database.dataSource.query(`SELECT EXTRACT(EPOCH FROM (started_at - queued_at)) * 1000 AS ms FROM jobs WHERE id = ANY($1)`, [jobIds])
    ).map((r: { ms: string }) => Number(r.ms));

    // N subscribers on one job, subscribed while the worker is busy with another job.
    const subscriberCount = Number(args.subscribers);
    const busy = await uploadImage(client, teamId, photos[0].bytes, 'image/jpeg', photos[0].name);
    const target = await uploadImage(client, teamId, small, 'image/png', 'fanout.png');
    const busyJob = (await client.ok(REMOVE, { i: { teamId, uploadId: busy.id, idempotencyKey: 'busy' } })).removeBackground.id;
    const fanoutJob = (await client.ok(REMOVE, { i: { teamId, uploadId: target.id, idempotencyKey: 'fanout' } })).removeBackground.id;
    const subscribers = Array.from({ length: subscriberCount }, () => client.ws());
    const received: { status: string; stage: string; latency: number }[][] = subscribers.map(() => []);
    let connected = 0;
    const done = Promise.all(
      subscribers.map((s, i) =>
        follow(s, fanoutJob, (e, at) => {
          if (received[i].length === 0) connected++;
          received[i].push({ status: e.status, stage: e.stage, latency: at - Date.parse(e.at) });
        }),
      ),
    );
    while (connected < subscriberCount) await new Promise((r) => setTimeout(r, 20));
    const busyStatus = (await client.ok(`query($id: ID!) { job(id: $id) { status } }`, { id: busyJob })).job.status;
    await done;
    await Promise.all(subscribers.map((s) => s.dispose()));
    await ws.dispose();
    // The first event of each subscriber is the job's state at subscribe time; count the live ones after it.
    const live = received.map((events) => events.slice(1));
    const expected = Math.max(...live.map((e) => e.length));
    const complete = live.filter((e) => e.length === expected && e.at(-1)?.status === 'SUCCEEDED').length;
    const latencies = live.flat().map((e) => e.latency);

    const inferenceMedian = median(inferenceMs);
    const jobMedian = median(jobMs);
    const result = {
      photos: photos.length,
      rounds: Number(args.rounds),
      inferenceMs: r1(inferenceMedian),
      jobMs: r1(jobMedian),
      jobP95Ms: r1(quantile(jobMs, 0.95)),
      overhead: r1(((jobMedian - inferenceMedian) / inferenceMedian) * 1000) / 10,
      uploadMs: r1(median(uploadMs)),
      pickupMedianMs: r1(median(pickups)),
      pickupP95Ms: r1(quantile(pickups, 0.95)),
      pickupSamples: pickups.length,
      subscribers: subscriberCount,
      subscribersWithEveryEvent: complete,
      eventsPerSubscriber: expected,
      subscribedWhileQueued: busyStatus !== 'SUCCEEDED',
      deliveryP50Ms: r1(median(latencies)),
      deliveryP99Ms: r1(quantile(latencies, 0.99)),
    };
    console.log('');
    console.log(`end-to-end job (mutation → result downloaded), median: ${result.jobMs} ms (p95 ${result.jobP95Ms} ms)`);
    console.log(`inference call alone, median:                         ${result.inferenceMs} ms`);
    console.log(`overhead of the job path:                             ${result.overhead} % (target ≤ 10 %)`);
    console.log(`upload (createUpload + PUT), median:                  ${result.uploadMs} ms (not part of the job time)`);
    console.log(`pickup submit→RUNNING: median ${result.pickupMedianMs} ms, p95 ${result.pickupP95Ms} ms over ${result.pickupSamples} jobs (target median < 50 ms)`);
    console.log(`${subscriberCount} subscribers on one job: ${complete} received all ${expected} live events; delivery p50 ${result.deliveryP50Ms} ms, p99 ${result.deliveryP99Ms} ms`);
    if (args.json) console.log(JSON.stringify(result));
  } finally {
    direct.close();
    await api.close();
    await inference.close();
    await pg.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
