/**
 * @jest-environment ./jest.environment.js
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelRegistry, WARMUP_RUNS } from '../models/model-registry';
import { writeTinyModel } from '../testing/tiny-onnx-model';
import { InferenceScheduler } from './inference-scheduler';

describe('InferenceScheduler with the tiny ONNX model', () => {
  let dir: string;
  let registry: ModelRegistry;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cutout-sched-'));
    writeTinyModel(dir, { id: 'tiny', size: 8, maxBatch: 4 });
    registry = new ModelRegistry(dir, 'tiny', { provider: 'cpu', threads: 1, maxBatch: 3 });
  });
  afterAll(async () => {
    await registry.releaseAll();
    rmSync(dir, { recursive: true, force: true });
  });

  const plane = (value: number) => new Float32Array(3 * 64).fill(value);

  it('loads once under concurrent first use, then batches requests that queued during a run', async () => {
    const [a, b] = await Promise.all([registry.getOrLoad('tiny'), registry.getOrLoad('')]);
    expect(a).toBe(b);
    expect(a.maxBatch).toBe(3); // min(manifest 4, config 3), batch dimension is dynamic
    const scheduler = new InferenceScheduler();
    const outcomes = await Promise.all([0.4, -0.4, 0.4, -0.4, 0.4].map((v) => scheduler.infer(a, plane(v))));
    expect(outcomes.map((o) => o.batchSize)).toEqual([1, 3, 3, 3, 1]);
    expect(scheduler.runs).toBe(3);
    expect(outcomes.map((o) => Math.round(o.output[0]))).toEqual([1, 0, 1, 0, 1]);
    expect(outcomes.every((o) => o.output.length === 64)).toBe(true);
  });

  it('moves a handed-over input to the worker without a copy, and copies one that is not handed over', async () => {
    const model = await registry.getOrLoad('tiny');
    const scheduler = new InferenceScheduler();
    const kept = plane(0.4);
    const given = plane(-0.4);
    const [a, b] = await Promise.all([scheduler.infer(model, kept), scheduler.infer(model, given, undefined, undefined, true)]);
    expect(kept.length).toBe(3 * 64); // still readable
    expect(kept[0]).toBeCloseTo(0.4);
    expect(given.length).toBe(0); // detached: its memory went to the worker
    expect([a, b].map((o) => Math.round(o.output[0]))).toEqual([1, 0]);
    expect([a, b].every((o) => o.output.length === 64)).toBe(true);
  });

  it("returns a handed-over input's memory holding the output, with the values of a copied run", async () => {
    const model = await registry.getOrLoad('tiny');
    const scheduler = new InferenceScheduler();
    const given = plane(-0.4);
    const memory = given.buffer;
    const copied = await scheduler.infer(model, plane(-0.4));
    const moved = await scheduler.infer(model, given, undefined, undefined, true);
    expect(memory.byteLength).toBe(0); // detached here; it came back as the output's memory
    expect(moved.output.buffer.byteLength).toBe(3 * 64 * 4);
    expect(moved.output.byteOffset).toBe(0);
    expect(moved.output.length).toBe(64);
    expect([...moved.output]).toEqual([...copied.output]);
    expect(moved.spentInput).toBe(moved.output.buffer);
    expect(copied.spentInput).toBeUndefined();
    // A copied run's output has memory of its own, just its size.
    expect(copied.output.buffer.byteLength).toBe(64 * 4);
  });

  it('drops a cancelled request from the queue', async () => {
    const model = await registry.getOrLoad('tiny');
    const scheduler = new InferenceScheduler();
    const controller = new AbortController();
    const first = scheduler.infer(model, plane(0.4));
    const cancelled = scheduler.infer(model, plane(0.4), controller.signal);
    controller.abort();
    await expect(cancelled).rejects.toMatchObject({ code: 'CANCELED' });
    await first;
    expect(scheduler.runs).toBe(1);
  });

  it('warms a model up with two runs before it serves (ONNX Runtime was still slow on its second run) and seeds its run time from the last', async () => {
    const logged: { obj: Record<string, unknown>; msg: string }[] = [];
    const own = new ModelRegistry(
      dir,
      'tiny',
      { provider: 'cpu', threads: 1, maxBatch: 1 },
      {
        info: (obj, msg) => logged.push({ obj: obj as Record<string, unknown>, msg }),
        warn: () => undefined,
      },
    );
    try {
      const model = await own.getOrLoad('tiny');
      const line = logged.find((l) => l.msg === 'model loaded and warmed up');
      const runs = line?.obj.warmupRunsMs as number[];
      expect(WARMUP_RUNS).toBe(2);
      expect(runs).toHaveLength(WARMUP_RUNS);
      expect(runs.every((ms) => Number.isFinite(ms) && ms >= 0)).toBe(true);
      expect(model.warmupMs).toBe(runs[runs.length - 1]);
    } finally {
      await own.releaseAll();
    }
  });

  it('answers MODEL_NOT_FOUND for an unknown id', () => {
    expect(() => registry.manifestOrThrow('nope')).toThrow(expect.objectContaining({ code: 'MODEL_NOT_FOUND' }));
  });
});
