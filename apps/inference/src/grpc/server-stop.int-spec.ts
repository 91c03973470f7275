/**
 * @jest-environment ./jest.environment.js
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InferenceClient, InferenceError } from '@cutout/inference-contract';
import { loadInferenceConfig } from '../config/inference.config';
import { aSquareImage } from '../testing/test-images';
import { writeTinyModel } from '../testing/tiny-onnx-model';
import { startInferenceServer, type RunningInferenceServer } from './inference.server';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('stopping the inference server (in-process, tiny model)', () => {
  let dir: string;
  let server: RunningInferenceServer;
  let client: InferenceClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cutout-server-stop-'));
    writeTinyModel(dir, { id: 'tiny', size: 64, maxBatch: 4 });
    const config = loadInferenceConfig({
      INFERENCE_HOST: '127.0.0.1',
      INFERENCE_PORT: '0',
      INFERENCE_PRELOAD: 'tiny',
      INFERENCE_THREADS: '1',
      INFERENCE_IMAGING_THREADS: '1',
      // One megapixel decoded at once: a photo waits while the test holds it (a slow call).
      INFERENCE_MAX_INFLIGHT_MEGAPIXELS: '1',
      MODELS_DIR: dir,
    });
    server = await startInferenceServer(config, quiet);
    await server.ready;
    client = new InferenceClient({ urls: `127.0.0.1:${server.port}`, deadlineMs: 30_000 });
  });

  afterAll(() => {
    client?.close();
    rmSync(dir, { recursive: true, force: true });
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
