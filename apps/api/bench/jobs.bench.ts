/**
 * npm run bench:jobs [-- --json] [--rounds 3] [--subscribers 200,1000] [--pickups 20] [--limit N (first N photos, smoke runs)]
 *
 * With the real default model on ../shared/eval/speed: end-to-end job time (mutation →
 * result downloaded) against the inference call alone, per round (the headline overhead is the
 * median of the rounds, with min and max), submit→RUNNING pickup latency, and N concurrent
 * graphql-ws subscribers on one job for each N (every subscriber checked against the events
 * the job itself published; the job starts only once every subscriber has its first event).
 * Everything real: embedded PostgreSQL, the inference service process, the API (ROLE=api) and a
 * worker (ROLE=worker) in this process, as two platform processes would run.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbeddedPostgres, findFreePort } from '@cutout/embedded-db';
import { InferenceClient } from '@cutout/inference-contract';
import { startApi, type ApiHandle } from '../src/bootstrap/start-api';
import { createLogger } from '../src/common/logger';
import { loadApiConfig } from '../src/config/api.config';
import { CreditsService } from '../src/credits/credits.service';
import { startInferenceProcess } from '../testing/inference-process';
import { uploadImage } from '../testing/jobs-client';
import { aBenchUser } from './bench-user';
import { aSubjectImage } from '../testing/test-images';
import { fanOut, JobEventsRecorder, type FanOutResult } from './fanout-phase';

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '3' },
    subscribers: { type: 'string', default: '200,1000' },
    pickups: { type: 'string', default: '20' },
    limit: { type: 'string' },
    speed: { type: 'string', default: path.join(__dirname, '..', '..', '..', '..', 'shared', 'eval', 'speed') },
  },
});

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] : NaN;
};
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const r1 = (x: number) => Math.round(x * 10) / 10;
const log = (...m: unknown[]) => console.error(...m);
const count = (name: string, value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be whole numbers >= 1; got ${value}`);
  return n;
};

async function main(): Promise<void> {
  const rounds = count('rounds', args.rounds);
  const subscriberCounts = args.subscribers.split(',').map((s) => count('subscribers', s.trim()));
  const photos = fs
    .readdirSync(args.speed)
    .filter((f) => /\.(jpe?g|png|webp)$/i.test(f))
    .sort()
    .slice(0, args.limit ? count('limit', args.limit) : undefined)
    .map((f) => ({ name: f, bytes: fs.readFileSync(path.join(args.speed, f)) }));
  if (!photos.length) throw new Error(`no photos in ${args.speed}`);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cutout-bench-jobs-'));
  log(`bench:jobs — ${photos.length} photos, ${os.cpus().length} cores; starting PostgreSQL, inference (medium), the API and a worker…`);
  const [pg, inference] = await Promise.all([
    startEmbeddedPostgres({ dataDir: path.join(root, 'pg') }),
    startInferenceProcess({ model: 'medium' }),
  ]);
  const env = {
    PORT: String(await findFreePort()),
    HOST: '127.0.0.1',
    DATABASE_URL: pg.url,
    DATA_DIR: path.join(root, 'data'),
    MASTER_KEY: randomBytes(32).toString('base64'),
    INFERENCE_URLS: inference.address,
    WORKER_CONCURRENCY: '1',
    LOG_LEVEL: 'warn',
    // Every subscriber is its own socket from 127.0.0.1 (plus the bench's own).
    WS_MAX_SOCKETS_PER_IP: String(Math.max(...subscriberCounts) + 10),
  };
  const api = await startApi(loadApiConfig({ ...env, ROLE: 'api' }), createLogger('warn'));
  let worker: ApiHandle | undefined = await startApi(loadApiConfig({ ...env, ROLE: 'worker' }), createLogger('warn'));
  const recorder = await JobEventsRecorder.start(pg.url);
  const base = `http://127.0.0.1:${api.port}`;
  const direct = new InferenceClient({ urls: [inference.address], deadlineMs: 300_000 });
  try {
    const { client, email } = await aBenchUser(base, 'bench');
    const teamId = (await client.ok(`{ teams { edges { node { id } } } }`)).teams.edges[0].node.id as string;
    // Every job is charged: enough credits for all of them (the trial credits are not).
    await api.app
      .get(CreditsService)
      .apply({ teamId, kind: 'ADMIN_ADJUSTMENT', amountQuarters: 4_000_000, reference: `bench-${email}`, reason: 'bench set-up' });

    const ws = client.ws();
    // Like a client: learn the end from jobUpdated (current state first, then changes, ends after a final state).
    const follow = (jobId: string) =>
      new Promise<void>((resolve, reject) =>
        ws.subscribe(
          { query: `subscription($id: ID!) { jobUpdated(jobId: $id) { status } }`, variables: { id: jobId } },
          { next: () => undefined, error: reject, complete: resolve },
        ),
      );
    let n = 0;
    const runJob = async (uploadId: string) => {
      const t0 = performance.now();
      const { removeBackground } = await client.ok(`mutation($i: RemoveBackgroundInput!) { removeBackground(input: $i) { id } }`, {
        i: { teamId, uploadId, idempotencyKey: `bench-${++n}` },
      });
      await follow(removeBackground.id);
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

    const perRound: { inferenceMs: number; jobMs: number; overhead: number }[] = [];
    const jobMs: number[] = [];
    const uploadMs: number[] = [];
    const jobIds: string[] = [];
    for (let round = 1; round <= rounds; round++) {
      const inf: number[] = [];
      const jobs: number[] = [];
      for (const photo of photos) {
        const type = /\.png$/i.test(photo.name) ? 'image/png' : 'image/jpeg';
        const u0 = performance.now();
        const upload = await uploadImage(client, teamId, photo.bytes, type, photo.name);
        uploadMs.push(performance.now() - u0);
        const i0 = performance.now();
        await direct.removeBackground({ image: photo.bytes });
        inf.push(performance.now() - i0);
        const job = await runJob(upload.id);
        jobs.push(job.ms);
        jobIds.push(job.jobId);
        log(`  round ${round} ${photo.name}: inference ${r1(inf.at(-1)!)} ms, job ${r1(job.ms)} ms`);
      }
      const overhead = (median(jobs) - median(inf)) / median(inf);
      perRound.push({ inferenceMs: median(inf), jobMs: median(jobs), overhead });
      jobMs.push(...jobs);
      log(`  round ${round}: job median ${r1(median(jobs))} ms, inference median ${r1(median(inf))} ms, overhead ${r1(overhead * 100)} %`);
    }

    // Pickup latency on small images (the worker is idle at each submit).
    const small = await aSubjectImage('png', 256, 256);
    for (let i = 0; i < Number(args.pickups); i++) {
      const upload = await uploadImage(client, teamId, small, 'image/png', 'small.png');
      jobIds.push((await runJob(upload.id)).jobId);
    }
    const pickups = (
      await api.database.dataSource.query(`SELECT EXTRACT(EPOCH FROM (started_at - queued_at)) * 1000 AS ms FROM jobs WHERE id = ANY($1)`, [
        jobIds,
      ])
    ).map((r: { ms: string }) => Number(r.ms));

    await ws.dispose();
    const fanOuts: FanOutResult[] = [];
    for (const subscribers of subscriberCounts) {
      log(`fan-out: ${subscribers} subscribers on one job`);
      const result = await fanOut(
        {
          client,
          teamId,
          image: small,
          recorder,
          log,
          stopWorker: async () => {
            await worker?.close();
            worker = undefined;
          },
          startWorker: async () => {
            worker = await startApi(loadApiConfig({ ...env, ROLE: 'worker' }), createLogger('warn'));
          },
        },
        subscribers,
        `fanout-${subscribers}`,
      );
      fanOuts.push(result);
    }

    const overheads = perRound.map((r) => r.overhead * 100);
    const result = {
      photos: photos.length,
      rounds,
      perRound: perRound.map((r) => ({ inferenceMs: r1(r.inferenceMs), jobMs: r1(r.jobMs), overheadPct: r1(r.overhead * 100) })),
      overheadPct: { median: r1(median(overheads)), min: r1(Math.min(...overheads)), max: r1(Math.max(...overheads)) },
      jobMs: r1(median(jobMs)),
      jobP95Ms: r1(quantile(jobMs, 0.95)),
      inferenceMs: r1(median(perRound.map((r) => r.inferenceMs))),
      uploadMs: r1(median(uploadMs)),
      pickupMedianMs: r1(median(pickups)),
      pickupP95Ms: r1(quantile(pickups, 0.95)),
      pickupSamples: pickups.length,
      fanOut: fanOuts.map(({ latencies, ...f }) => ({
        ...f,
        subscribeMs: Math.round(f.subscribeMs),
        deliveryP50Ms: r1(median(latencies)),
        deliveryP99Ms: r1(quantile(latencies, 0.99)),
      })),
    };
    const o = result.overheadPct;
    console.log('');
    console.log(
      `end-to-end job (mutation → result downloaded), median: ${result.jobMs} ms (p95 ${result.jobP95Ms} ms) over ${jobMs.length} jobs`,
    );
    console.log(`inference call alone, median of round medians:         ${result.inferenceMs} ms`);
    console.log(
      `overhead of the job path:                              ${o.median} % (min ${o.min} %, max ${o.max} % over ${rounds} rounds; target ≤ 10 %)`,
    );
    console.log(`upload (createUpload + PUT), median:                   ${result.uploadMs} ms (not part of the job time)`);
    console.log(
      `pickup submit→RUNNING: median ${result.pickupMedianMs} ms, p95 ${result.pickupP95Ms} ms over ${result.pickupSamples} jobs (target median < 50 ms)`,
    );
    for (const f of result.fanOut)
      console.log(
        `${f.subscribers} subscribers on one job (all subscribed before it started: ${f.subscribedBeforeStart}/${f.subscribers}): ` +
          `${f.complete} received all ${f.produced} events the job published, ${f.missedSome} missed some, ${f.mismatched} got other events; ` +
          `delivery p50 ${f.deliveryP50Ms} ms, p99 ${f.deliveryP99Ms} ms`,
      );
    if (args.json) console.log(JSON.stringify(result));
  } finally {
    direct.close();
    await recorder.close().catch(() => undefined);
    await worker?.close();
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
