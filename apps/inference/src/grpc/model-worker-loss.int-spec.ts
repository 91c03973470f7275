/**
 * @jest-environment ./jest.environment.js
 */
import { createRequire } from 'node:module';
import type { Worker, WorkerOptions } from 'node:worker_threads';
import { credentials, makeClientConstructor, type ClientReadableStream } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { InferenceError, type InferenceClient } from '@cutout/inference-contract';
import { startInProcessServer, type InProcessServer } from '../testing/in-process-server';
import { aSquareImage } from '../testing/test-images';
import type { RunningInferenceServer } from './inference.server';

// The real worker_threads module (not an import's copy): worker-channel.ts creates its workers through it.
const threads = createRequire(__filename)('node:worker_threads') as typeof import('node:worker_threads');
const RealWorker = threads.Worker;

/** What the tests do to the ONNX Runtime workers: end one as its run is posted (a crash mid-run), or one as it starts. */
const onnx = { workers: [] as Worker[], exited: new Set<Worker>(), killOnNextRun: false, failStarts: 0 };

class SpiedWorker extends RealWorker {
  constructor(filename: string | URL, options?: WorkerOptions) {
    super(filename, options);
    if (!(options?.workerData as { ortPath?: string } | undefined)?.ortPath) return;
    onnx.workers.push(this);
    this.once('exit', () => onnx.exited.add(this));
    if (onnx.failStarts > 0) {
      onnx.failStarts--;
      void this.terminate();
    }
  }

  override postMessage(value: unknown, transfer?: Parameters<Worker['postMessage']>[1]): void {
    if (onnx.killOnNextRun && (value as { kind?: string }).kind === 'run' && onnx.workers.includes(this)) {
      onnx.killOnNextRun = false;
      // As on ERR_WORKER_OUT_OF_MEMORY or a fatal error in ONNX Runtime: the thread is gone while a run waits
      // for its reply (the run is dropped, so the tiny model cannot answer before the thread ends).
      void this.terminate();
      return;
    }
    super.postMessage(value, transfer);
  }
}

const HealthClient = makeClientConstructor(healthService as never, 'grpc.health.v1.Health');

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('the call succeeded');
    },
    (error: unknown) => error as InferenceError,
  );

describe('a model whose ONNX Runtime worker dies (in-process server, tiny model)', () => {
  let running: InProcessServer;
  let server: RunningInferenceServer;
  let stopped = false;
  let client: InferenceClient;
  let watch: ClientReadableStream<{ status: string }>;
  let healthClient: InstanceType<typeof HealthClient>;
  /** Every health status the server has announced, as grpc.health.v1 Watch streams them. */
  const statuses: string[] = [];
  const waitForStatus = async (status: string, after: number) => {
    for (let i = 0; i < 300 && !statuses.slice(after).includes(status); i++) await new Promise((r) => setTimeout(r, 50));
    return statuses.slice(after).includes(status);
  };

  beforeAll(async () => {
    threads.Worker = SpiedWorker;
    running = await startInProcessServer();
    ({ server, client } = running);
    const { address } = running;
    healthClient = new HealthClient(address, credentials.createInsecure());
    watch = (healthClient as unknown as { watch(req: { service: string }): ClientReadableStream<{ status: string }> }).watch({
      service: '',
    });
    watch.on('data', (m: { status: string }) => statuses.push(m.status));
    watch.on('error', () => undefined);
    expect(await waitForStatus('SERVING', 0)).toBe(true);
  });

  afterAll(async () => {
    watch?.cancel();
    healthClient?.close();
    if (!stopped) await server?.stop();
    running?.dispose();
    threads.Worker = RealWorker;
  });

  it('answers the call in flight UNAVAILABLE (transient), goes NOT_SERVING, loads the model again and serves the next request', async () => {
    const image = await aSquareImage({ width: 200, height: 100, square: 40 });
    expect((await client.removeBackground({ image })).width).toBe(200);
    const before = server.registry.loadedModel('tiny');
    const workers = onnx.workers.length;
    const seen = statuses.length;

    onnx.killOnNextRun = true;
    const failure = await failureOf(client.removeBackground({ image }));
    expect(failure).toBeInstanceOf(InferenceError);
    expect(failure).toMatchObject({ code: 'UNAVAILABLE', transient: true, grpcCode: 14 });
    expect(failure.message).toMatch(/model tiny stopped/);

    // Health: NOT_SERVING while no model can be served, SERVING again once it is loaded and warm.
    expect(await waitForStatus('NOT_SERVING', seen)).toBe(true);
    const down = seen + statuses.slice(seen).indexOf('NOT_SERVING');
    expect(await waitForStatus('SERVING', down)).toBe(true);
    expect(await client.checkHealth()).toEqual([{ address: `127.0.0.1:${server.port}`, status: 'SERVING' }]);

    const after = await client.removeBackground({ image });
    expect(after).toMatchObject({ width: 200, height: 100, modelId: 'tiny' });
    expect(server.registry.loadedModel('tiny')).not.toBe(before);
    expect(onnx.workers.length).toBe(workers + 1); // one new worker, warmed up like a first load
  });

  it('answers UNAVAILABLE while the model fails to load again, and tries again until it serves', async () => {
    const image = await aSquareImage({ width: 120, height: 80, square: 30 });
    const seen = statuses.length;
    onnx.killOnNextRun = true;
    // The server's own reload fails (its new worker ends as it starts), and so does the next load (a request's or its retry's).
    onnx.failStarts = 2;
    expect(await failureOf(client.removeBackground({ image }))).toMatchObject({ code: 'UNAVAILABLE', transient: true });
    expect(await waitForStatus('NOT_SERVING', seen)).toBe(true);
    // Meanwhile a request finds no model and the load it waits for fails: it is told to come back, not INTERNAL_ERROR.
    expect(await failureOf(client.removeBackground({ image }))).toMatchObject({ code: 'UNAVAILABLE', transient: true });
    const down = seen + statuses.slice(seen).indexOf('NOT_SERVING');
    expect(await waitForStatus('SERVING', down)).toBe(true);
    expect(onnx.failStarts).toBe(0);
    expect((await client.removeBackground({ image })).width).toBe(120);
  });

  it('stops while a model is being loaded again: the load ends released, and no worker outlives stop()', async () => {
    // Regression (review): releaseAll cleared the loads in flight without waiting for them; the reload then finished,
    // stored its model and kept its worker (and its memory) alive after stop() had resolved.
    const image = await aSquareImage({ width: 120, height: 80, square: 30 });
    const workers = onnx.workers.length;
    onnx.killOnNextRun = true;
    await failureOf(client.removeBackground({ image }));
    for (let i = 0; i < 200 && onnx.workers.length === workers; i++) await new Promise((r) => setTimeout(r, 10));
    expect(onnx.workers.length).toBe(workers + 1); // the server's reload has started its new worker
    stopped = true;
    await server.stop(100);
    for (let i = 0; i < 100 && onnx.workers.some((w) => !onnx.exited.has(w)); i++) await new Promise((r) => setTimeout(r, 20));
    expect(onnx.workers.filter((w) => !onnx.exited.has(w))).toEqual([]);
    expect(server.registry.isLoaded('tiny')).toBe(false);
  });
});
