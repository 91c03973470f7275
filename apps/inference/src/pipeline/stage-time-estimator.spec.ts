import { Stage } from '@cutout/inference-contract';
import { MIN_STAGE_SHARE, SAMPLE_WEIGHT, StageTimeEstimator, planFromTimes, runMsPerItem, sizeBucket } from './stage-time-estimator';

const photo = { modelId: 'medium', pixels: 2_000_000, refine: false };

describe('StageTimeEstimator', () => {
  it('seeds the model run from the warm-up run, once, and scales it by the batch', () => {
    const estimator = new StageTimeEstimator();
    estimator.seedInference('medium', 2000);
    estimator.seedInference('medium', 9000); // a later seed (model reloaded) does not override
    expect(estimator.expectedRunMs('medium')).toBe(2000);
    expect(estimator.expectedRunMs('medium', 3)).toBe(6000);
    expect(estimator.expected(photo).inferenceMs).toBe(2000);
  });

  it('keeps moving averages: the run per model and batch item, the image stages per megapixel', () => {
    const estimator = new StageTimeEstimator();
    estimator.seedInference('medium', 2000);
    estimator.record(photo, { decodeMs: 100, inferenceMs: 1000, refineMs: 40, encodeMs: 200 });
    expect(estimator.expectedRunMs('medium')).toBeCloseTo(2000 + SAMPLE_WEIGHT * (1000 - 2000));
    expect(estimator.expected(photo)).toMatchObject({ decodeMs: 100, refineMs: 40, encodeMs: 200 });
    // A batch of 2 that took 1200 ms is 600 ms per item.
    estimator.record(photo, {
      decodeMs: 200,
      inferenceMs: runMsPerItem([{ inferenceMs: 1200, batchSize: 2 }]) ?? 0,
      refineMs: 40,
      encodeMs: 200,
    });
    expect(estimator.expectedRunMs('medium')).toBeCloseTo(1700 + SAMPLE_WEIGHT * (600 - 1700));
    expect(estimator.expected(photo).decodeMs).toBeCloseTo(100 + SAMPLE_WEIGHT * 100);
    // Same bucket (1..2 MP), half the pixels: half the time.
    expect(estimator.expected({ ...photo, pixels: 1_100_000 }).decodeMs).toBeCloseTo((130 / 2) * 1.1);
  });

  it('per-item model time of a HIGH request: its two runs in one batch of 2 (T/2, not T/4) or one after the other (T1)', () => {
    // What the scheduler reports for each run (InferenceOutcome): one batch of 2 taking 1600 ms carries both.
    const batched = [
      { inferenceMs: 1600, batchSize: 2, queueMs: 0 },
      { inferenceMs: 1600, batchSize: 2, queueMs: 0 },
    ];
    // Without batching: two runs of 900 ms, each alone.
    const sequential = [
      { inferenceMs: 900, batchSize: 1, queueMs: 0 },
      { inferenceMs: 900, batchSize: 1, queueMs: 5 },
    ];
    expect(runMsPerItem(batched)).toBe(800);
    expect(runMsPerItem(sequential)).toBe(900);
    // A batch of 3 shared with another request's input: a third each.
    expect(runMsPerItem([{ inferenceMs: 1500, batchSize: 3 }])).toBe(500);
    expect(runMsPerItem([])).toBeUndefined();
    for (const [runs, perItem] of [
      [batched, 800],
      [sequential, 900],
    ] as const) {
      const estimator = new StageTimeEstimator();
      const high = { ...photo, runs: 2 };
      estimator.record(high, { decodeMs: 100, inferenceMs: runMsPerItem(runs) ?? 0, refineMs: 40, encodeMs: 200 });
      expect(estimator.expectedRunMs('medium')).toBe(perItem);
      // The next HIGH request plans two runs of that, a batch of 2 as one run of twice that.
      expect(estimator.expected(high).inferenceMs).toBe(2 * perItem);
      expect(estimator.expectedRunMs('medium', 2)).toBe(2 * perItem);
    }
  });

  it('keeps sizes, refine on/off and models apart', () => {
    const estimator = new StageTimeEstimator();
    estimator.record(photo, { decodeMs: 100, inferenceMs: 1500, refineMs: 40, encodeMs: 200 });
    const refined = estimator.expected({ ...photo, refine: true });
    expect(refined.refineMs).not.toBe(40);
    expect(refined.refineMs).toBeGreaterThan(estimator.expected(photo).refineMs);
    expect(estimator.expected({ ...photo, pixels: 12_000_000 }).decodeMs).not.toBeCloseTo(600);
    expect(estimator.expectedRunMs('medium')).toBe(1500);
    expect(estimator.expectedRunMs('small')).not.toBe(1500);
  });

  it('buckets sizes by doubling from 0.25 MP', () => {
    expect([1, 250_000, 250_001, 500_000, 1_000_000, 2_000_000, 50_000_000].map(sizeBucket)).toEqual([0, 0, 1, 1, 2, 3, 8]);
  });
});

describe('planFromTimes', () => {
  it('puts stage ends in proportion to the expected times, ending at 1', () => {
    const plan = planFromTimes({ decodeMs: 100, inferenceMs: 2000, refineMs: 100, encodeMs: 300 });
    const scale = 1 - 4 * MIN_STAGE_SHARE;
    expect(plan[Stage.DECODED]).toBeCloseTo(MIN_STAGE_SHARE + 0.04 * scale);
    expect(plan[Stage.INFERENCE]).toBeCloseTo(2 * MIN_STAGE_SHARE + 0.84 * scale);
    expect(plan[Stage.REFINE]).toBeCloseTo(3 * MIN_STAGE_SHARE + 0.88 * scale);
    expect(plan[Stage.ENCODED]).toBe(1);
  });

  it('gives every stage a share, even a zero, negative or NaN estimate', () => {
    const plan = planFromTimes({ decodeMs: 0, inferenceMs: Number.NaN, refineMs: -5, encodeMs: 0 });
    const ends = [plan[Stage.DECODED], plan[Stage.INFERENCE], plan[Stage.REFINE], plan[Stage.ENCODED]];
    expect(ends.map((e) => Number(e.toFixed(6)))).toEqual([0.25, 0.5, 0.75, 1]);
    const skewed = planFromTimes({ decodeMs: 0, inferenceMs: 1000, refineMs: 0, encodeMs: 0 });
    expect(skewed[Stage.DECODED]).toBeCloseTo(MIN_STAGE_SHARE);
    expect(skewed[Stage.REFINE] - skewed[Stage.INFERENCE]).toBeCloseTo(MIN_STAGE_SHARE);
  });
});
