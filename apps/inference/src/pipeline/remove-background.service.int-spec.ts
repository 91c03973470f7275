/**
 * @jest-environment ./jest.environment.js
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toOutputOptions } from '@cutout/inference-contract';
import { InferenceScheduler } from '../engine/inference-scheduler';
import { largeBuffers } from '../imaging/buffer-pool';
import { stopImagingWorkers } from '../imaging/imaging-workers';
import { ModelRegistry } from '../models/model-registry';
import { aSquareImage } from '../testing/test-images';
import { writeTinyModel } from '../testing/tiny-onnx-model';
import { RemoveBackgroundService } from './remove-background.service';

/** The service in this process (the gRPC specs run it in a child), where its buffer pool can be read. */
describe('RemoveBackgroundService in process (tiny model)', () => {
  let dir: string;
  let registry: ModelRegistry;
  let service: RemoveBackgroundService;
  const size = 64;
  const modelInputBytes = 3 * size * size * Float32Array.BYTES_PER_ELEMENT;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cutout-service-'));
    writeTinyModel(dir, { id: 'tiny', size });
    registry = new ModelRegistry(dir, 'tiny', { provider: 'cpu', threads: 1, maxBatch: 4 });
    service = new RemoveBackgroundService(registry, new InferenceScheduler(), {
      maxBytes: 10 * 1024 * 1024,
      maxPixels: 10_000_000,
      resizeKernel: 'asymmetric',
      queueDepth: 4,
      concurrency: 2,
      imagingThreads: 1,
    });
  });
  afterAll(async () => {
    await registry.releaseAll();
    await stopImagingWorkers();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Whether the pool hands out a model input's memory it already holds (an acquire of a held size lowers heldBytes by it). */
  const poolHoldsModelInput = () => {
    const before = largeBuffers.heldBytes;
    const buffer = largeBuffers.acquire(modelInputBytes);
    const reused = largeBuffers.heldBytes === before - modelInputBytes;
    largeBuffers.release(buffer);
    return reused;
  };

  const remove = async (mode: 'standard' | 'high') =>
    service.removeBackground(
      {
        image: await aSquareImage({ width: 120, height: 80, square: 30 }),
        modelId: '',
        options: toOutputOptions({ mode }),
        acceptChunks: false,
      },
      () => undefined,
    );

  it("gives a HIGH request's model input back to the buffer pool once its passes have read it, as a standard request does", async () => {
    // Drain whatever earlier requests left, so only this request's input can be found there.
    const drain = () => {
      while (poolHoldsModelInput()) largeBuffers.acquire(modelInputBytes);
    };
    drain();
    const standard = await remove('standard');
    expect(standard.width).toBe(120);
    expect(poolHoldsModelInput()).toBe(true);
    drain();
    const high = await remove('high');
    expect(high.width).toBe(120);
    expect(poolHoldsModelInput()).toBe(true);
  });

  it('keeps photos past INFERENCE_MAX_INFLIGHT_MEGAPIXELS waiting, still compressed, and serves every one in turn', async () => {
    const bounded = new RemoveBackgroundService(registry, new InferenceScheduler(), {
      maxBytes: 10 * 1024 * 1024,
      maxPixels: 10_000_000,
      resizeKernel: 'asymmetric',
      queueDepth: 4,
      maxInflightPixels: 400_000,
      concurrency: 2,
      imagingThreads: 1,
    });
    const image = await aSquareImage({ width: 640, height: 480, square: 200 }); // 0.31 MP: one fits, two do not
    let most = 0;
    const cutout = () =>
      bounded.removeBackground({ image, modelId: '', options: toOutputOptions({}), acceptChunks: false }, () => {
        most = Math.max(most, bounded.admission.pixelsInFlight);
      });
    const results = await Promise.all([cutout(), cutout(), cutout()]);
    expect(results.map((r) => r.width)).toEqual([640, 640, 640]);
    expect(most).toBe(640 * 480); // never two photos' pixels at once
    expect([bounded.admission.pixelsInFlight, bounded.admission.waitingForPixels, bounded.admission.inFlight]).toEqual([0, 0, 0]);
  });
});
