/**
 * @jest-environment ./jest.environment.js
 */
import { InferenceError, type InferenceClient } from '@cutout/inference-contract';
import { startInProcessServer, type InProcessServer } from '../testing/in-process-server';
import { aSquareImage } from '../testing/test-images';
import type { RunningInferenceServer } from './inference.server';

describe('stopping the inference server (in-process, tiny model)', () => {
  let running: InProcessServer;
  let server: RunningInferenceServer;
  let client: InferenceClient;

  beforeAll(async () => {
    // One megapixel decoded at once: a photo waits while the test holds it (a slow call).
    running = await startInProcessServer({ INFERENCE_MAX_INFLIGHT_MEGAPIXELS: '1' });
    ({ server, client } = running);
  });

  afterAll(() => running?.dispose());

  it('serves more calls at once than Node’s default listener bound with no leak warning (each listens for the stop, then lets go)', async () => {
    // Regression (review): each call added an abort listener to the server's one stop signal, and the calls that ended
    // cancelled or refused never removed theirs: past 10 at once Node warned of an EventTarget leak.
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    try {
      const image = await aSquareImage({ width: 60, height: 40, square: 10 });
      const results = await Promise.all(Array.from({ length: 14 }, () => client.removeBackground({ image })));
      expect(results.map((r) => r.width)).toEqual(Array(14).fill(60));
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.includes('MaxListeners'))).toEqual([]);
  });

  it('answers a call still running after the grace UNAVAILABLE (transient: retried), not a bare CANCELLED', async () => {
    const image = await aSquareImage({ width: 200, height: 100, square: 40 });
    expect((await client.removeBackground({ image })).width).toBe(200);
    // Every decoded pixel is held: the next call waits in the admission gate until the server stops.
    const releasePixels = await server.service.admission.reservePixels(1_000_000);
    const call = client.removeBackground({ image }).then(
      () => undefined,
      (error: unknown) => error,
    );
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    await server.stop(200);
    releasePixels();
    const failure = (await call) as InferenceError;
    expect(failure).toBeInstanceOf(InferenceError);
    // Before: forceShutdown after the grace; grpc-js answered CANCELLED without a trailer, the client said CANCELED
    // (not transient) and the API failed the job for good though nobody had cancelled it.
    expect(failure).toMatchObject({ code: 'UNAVAILABLE', transient: true, grpcCode: 14 });
    expect(failure.message).toMatch(/shutting down/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
