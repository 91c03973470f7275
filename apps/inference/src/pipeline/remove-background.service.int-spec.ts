/**
 * @jest-environment ./jest.environment.js
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toOutputOptions } from '@cutout/inference-contract';
import { InferenceScheduler } from '../engine/inference-scheduler';
import { largeBuffers } from '../imaging/buffer-pool';
import { splitsRun, stopImagingWorkers } from '../imaging/imaging-workers';
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

  it("keeps its imaging work on one thread while another request's model run holds the cores, and splits it when the model is idle", async () => {
    // Split while ONNX Runtime had every core, the decontamination's extra threads only slowed that run (throughput 0.967× under 4 clients).
    class HeldScheduler extends InferenceScheduler {
      held = false;
      override get busy(): boolean {
        return this.held || super.busy;
      }
    }
    const scheduler = new HeldScheduler();
    const twoThreads = new RemoveBackgroundService(registry, scheduler, {
      maxBytes: 10 * 1024 * 1024,
      maxPixels: 10_000_000,
      queueDepth: 4,
      concurrency: 2,
      imagingThreads: 2,
    });
    const image = await aSquareImage({ width: 640, height: 480, square: 200 });
    const cutout = () =>
      twoThreads.removeBackground({ image, modelId: '', options: toOutputOptions({}), acceptChunks: false }, () => undefined);

    let before = splitsRun();
    await cutout();
    expect(splitsRun()).toBe(before + 1);

    scheduler.held = true;
    before = splitsRun();
    const alone = await cutout();
    expect(splitsRun()).toBe(before);
    scheduler.held = false;
    // Still the whole cut-out.
    expect(alone.width).toBe(640);
    expect(alone.image.length).toBeGreaterThan(0);
  });
});
