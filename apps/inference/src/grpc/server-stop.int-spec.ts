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
