import { Client as PgClient } from 'pg';
import type { Client } from 'graphql-ws';
import { JOB_EVENTS_CHANNEL } from '../src/jobs/events/job-event';
import type { TestClient } from '../testing/graphql-client';
import { REMOVE, uploadImage } from '../testing/jobs-client';
import { deliveryReport, type DeliveryReport, type JobEventRecord, type ReceivedEvent } from './fanout-delivery';

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELED', 'CANCELLED']);

/** Every job event as published (NOTIFY), read on the bench's own connection: the job's own record, beside the API. */
export class JobEventsRecorder {
  private readonly events = new Map<string, JobEventRecord[]>();
  private readonly waiters = new Map<string, () => void>();
  private constructor(private readonly pg: PgClient) {}

  static async start(databaseUrl: string): Promise<JobEventsRecorder> {
    const pg = new PgClient({ connectionString: databaseUrl, application_name: 'cutout-bench-recorder' });
    await pg.connect();
    const recorder = new JobEventsRecorder(pg);
    pg.on(
      'notification',
      (m) => m.channel === JOB_EVENTS_CHANNEL && m.payload && recorder.record(JSON.parse(m.payload) as JobEventRecord & { jobId: string }),
    );
    await pg.query(`LISTEN ${JOB_EVENTS_CHANNEL}`);
    return recorder;
  }

  private record(e: JobEventRecord & { jobId: string }): void {
    this.events.set(e.jobId, [...(this.events.get(e.jobId) ?? []), { status: e.status, stage: e.stage, progress: e.progress, at: e.at }]);
    if (TERMINAL.has(e.status)) this.waiters.get(e.jobId)?.();
  }

  eventsOf(jobId: string): JobEventRecord[] {
    return this.events.get(jobId) ?? [];
  }

  /** Resolves when the job's final event was published. */
  finished(jobId: string): Promise<void> {
    if (this.eventsOf(jobId).some((e) => TERMINAL.has(e.status))) return Promise.resolve();
    return new Promise((resolve) => this.waiters.set(jobId, resolve));
  }

  close(): Promise<void> {
    return this.pg.end();
  }
}

export interface FanOutContext {
  client: TestClient;
  teamId: string;
  image: Buffer;
  recorder: JobEventsRecorder;
  /** No worker may run while subscribers connect: the job waits QUEUED. */
  stopWorker(): Promise<void>;
  startWorker(): Promise<void>;
  log(...m: unknown[]): void;
}

export type FanOutResult = DeliveryReport & { subscribeMs: number };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const withTimeout = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, sleep(ms).then(() => Promise.reject(new Error(`${what}: no answer after ${ms} ms`)))]);

/**
 * N graphql-ws subscribers (one socket each) on one job. The job is submitted with no worker
 * running; the worker starts only once EVERY subscriber has received its first (current-state)
 * event, so the figure tells loss from lateness.
 */
export async function fanOut(ctx: FanOutContext, count: number, key: string): Promise<FanOutResult> {
  await ctx.stopWorker();
  const upload = await uploadImage(ctx.client, ctx.teamId, ctx.image, 'image/png', 'fanout.png');
  const jobId = (await ctx.client.ok(REMOVE, { i: { teamId: ctx.teamId, uploadId: upload.id, idempotencyKey: key } })).removeBackground
    .id as string;
  const sockets: Client[] = Array.from({ length: count }, () => ctx.client.ws());
  const received: ReceivedEvent[][] = sockets.map(() => []);
  const firsts: (() => void)[] = [];
  const first = sockets.map((_, i) => new Promise<void>((resolve) => (firsts[i] = resolve)));
  const t0 = performance.now();
  const done = Promise.all(
    sockets.map(
      (socket, i) =>
        new Promise<void>((resolve, reject) =>
          socket.subscribe<{ jobUpdated: JobEventRecord }>(
            { query: `subscription($id: ID!) { jobUpdated(jobId: $id) { status stage progress at } }`, variables: { id: jobId } },
            {
              next: (v) => {
                if (v.errors) return reject(new Error(JSON.stringify(v.errors)));
                received[i].push({ ...v.data!.jobUpdated, receivedAt: Date.now() });
                if (received[i].length === 1) firsts[i]();
              },
              error: reject,
              complete: resolve,
            },
          ),
        ),
    ),
  );
  done.catch(() => undefined);
  try {
    // A subscription that fails before its first event fails the phase at once (done rejects).
    await withTimeout(Promise.race([Promise.all(first), done]), 60_000 + count * 200, `first events of ${count} subscribers`);
    const subscribeMs = performance.now() - t0;
    ctx.log(`  ${count} subscribers have their first event after ${Math.round(subscribeMs)} ms; starting the worker`);
    const before = ctx.recorder.eventsOf(jobId).length; // the submit's QUEUED event
    await ctx.startWorker();
    await withTimeout(ctx.recorder.finished(jobId), 300_000, `job ${jobId}`);
    // Every subscriber ends after the final event; allow stragglers 30 s before counting what they have.
    await Promise.race([done, sleep(30_000)]);
    const produced = ctx.recorder.eventsOf(jobId).slice(before);
    if (produced.length === 0)
      throw new Error(
        `no events recorded on ${JOB_EVENTS_CHANNEL} for job ${jobId}: does the API still publish job events with pg_notify?`,
      );
    return { ...deliveryReport(produced, received), subscribeMs };
  } finally {
    await Promise.all(sockets.map((s) => s.dispose()));
  }
}
