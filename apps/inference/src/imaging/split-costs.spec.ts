import type { LevelShape } from './foreground-estimation';
import { coarseCostNs, DEFAULT_SPLIT_COSTS, SplitCostMeter, splitRows } from './split-costs';

const rows = (costs: number[]) => Float64Array.from(costs);
const uniform = (height: number, ns = 1000) => rows(Array.from({ length: height }, () => ns));
const sizes = (starts: number[], height: number) => starts.map((s, i) => (i + 1 < starts.length ? starts[i + 1] : height) - s);

describe('splitRows (the seams of a split decontamination)', () => {
  it('shares uniform rows equally when nothing else costs anything', () => {
    const { starts } = splitRows(uniform(400), 100, 4, 0, 0, 0);
    expect(starts[0]).toBe(0);
    for (const size of sizes(starts, 400)) expect(Math.abs(size - 100)).toBeLessThanOrEqual(1);
  });

  it('starts no sweep before the coarse levels: with listing free, the windows share the sweeps equally', () => {
    // Sweeps 400 µs in all; the coarse levels 150 µs on this thread, the workers wait for them.
    const { starts } = splitRows(uniform(400), 100, 3, 150_000, 0, 0);
    for (const size of sizes(starts, 400)) expect(Math.abs(size - 133)).toBeLessThanOrEqual(2);
  });

  it('gives this thread fewer rows when it lists its own window after the coarse levels', () => {
    // Listing costs 1 µs a row (10 ns × 100 px), the coarse levels 100 µs, the sweeps 1 µs a row: a worker listing
    // both windows would start its sweeps at 400 µs, so this thread lists its own after the coarse levels.
    const split = splitRows(uniform(400), 100, 2, 100_000, 0, 10);
    expect(split.listFirstOnWorker).toBe(false);
    const [own, other] = sizes(split.starts, 400);
    // This thread: 100 + own (listing) + own (sweeps); the worker: other + other; both 450 µs at own = 175.
    // (Listed on the worker: max(100, own) + own against 400 + other, 533 µs at best.)
    expect(Math.abs(own - 175)).toBeLessThanOrEqual(2);
    expect(other).toBeGreaterThan(own);
  });

  it('weighs rows by their cost: heavy rows on top make the first window short', () => {
    const heavyTop = rows(Array.from({ length: 400 }, (_, y) => (y < 200 ? 9000 : 1000)));
    const { starts } = splitRows(heavyTop, 100, 2, 0, 0, 0);
    // Half of 2 ms is reached at row 111 (111 × 9 µs).
    expect(Math.abs(starts[1] - 111)).toBeLessThanOrEqual(1);
  });

  it('counts the margin rows each window lists and sweeps besides its own', () => {
    const without = splitRows(uniform(400), 100, 4, 0, 0, 0).starts;
    const withMargins = splitRows(uniform(400), 100, 4, 0, 50, 0).starts;
    // The two middle windows sweep 50 rows more on each side, the outer ones on one side only: they get fewer own rows.
    const [a, b, c, d] = sizes(withMargins, 400);
    expect(b).toBeLessThan(a);
    expect(c).toBeLessThan(d);
    expect(withMargins).not.toEqual(without);
  });

  it('lets the first worker list window 0 when that ends before the coarse levels, and lists it here when it would not', () => {
    // Listing 400 rows of 100 px at 1 ns: 40 µs, far below 1 ms of coarse levels.
    expect(splitRows(uniform(400), 100, 2, 1_000_000, 0, 1).listFirstOnWorker).toBe(true);
    // Listing at 100 ns a pixel (4 ms for the image) and no coarse levels: the worker would list twice as much as it should.
    expect(splitRows(uniform(400), 100, 2, 0, 0, 100).listFirstOnWorker).toBe(false);
  });

  it('gives every window at least one row, even when one thread could do it all', () => {
    const { starts } = splitRows(uniform(5), 100, 5, 1e9, 0, 0);
    expect(starts).toEqual([0, 1, 2, 3, 4]);
  });

  it('refuses fewer than 2 windows or more windows than rows', () => {
    expect(() => splitRows(uniform(10), 100, 1, 0, 0)).toThrow(RangeError);
    expect(() => splitRows(uniform(3), 100, 4, 0, 0)).toThrow(RangeError);
    expect(() => splitRows(uniform(10), 100, 2.5, 0, 0)).toThrow(RangeError);
  });
});

describe('coarseCostNs', () => {
  const level = (w: number, h: number, dense: boolean, last = false): LevelShape => ({ w, h, iterations: 8, dense, last });

  it('adds every level below the finest: pixels built, and their sweeps (a band-only level its band share)', () => {
    const dense = coarseCostNs([level(10, 10, true)], 0.5);
    const band = coarseCostNs([level(10, 10, false)], 0.5);
    expect(dense).toBeGreaterThan(0);
    // A band-only level sweeps half its pixels here, dearer each (170 vs 50 ns): 100 × (90 + 8 × 85) against 100 × (90 + 8 × 50).
    expect(band).toBeCloseTo(100 * (90 + 8 * 85), 6);
    expect(dense).toBeCloseTo(100 * (90 + 8 * 50), 6);
    expect(coarseCostNs([level(10, 10, true), level(1000, 1000, true, true)], 0.5)).toBe(dense);
  });
});

describe('SplitCostMeter', () => {
  it('starts from the defaults and moves towards what it measures by its weight', () => {
    const meter = new SplitCostMeter(0.5);
    expect(meter.costs).toEqual(DEFAULT_SPLIT_COSTS);
    // Listing 1 M pixels in 20 ms: 20 ns a pixel; the coarse levels twice their estimate; 10 k band pixels swept in 5 ms.
    meter.observe({
      coarse: { ms: 20, estimateNs: 10e6 },
      listings: [{ ms: 20, pixels: 1e6 }],
      sweeps: [{ ms: 5, bandPixels: 10_000, outPixels: 0 }],
    });
    expect(meter.costs.windowPixelNs).toBeCloseTo(15, 6);
    expect(meter.costs.coarseScale).toBeCloseTo(1.5, 6);
    expect(meter.costs.bandPixelNs).toBeCloseTo((340 + 500) / 2, 6);
    expect(meter.costs.outPixelNs).toBe(DEFAULT_SPLIT_COSTS.outPixelNs);
  });

  it('ignores samples too small to tell, not finite or not positive, and bounds the rest to 10× its default', () => {
    const meter = new SplitCostMeter(1);
    meter.observe({
      listings: [
        { ms: 50, pixels: 10_000 },
        { ms: NaN, pixels: 1e6 },
        { ms: 0, pixels: 1e6 },
      ],
      sweeps: [{ ms: 5, bandPixels: 100, outPixels: 0 }],
    });
    expect(meter.costs).toEqual(DEFAULT_SPLIT_COSTS);
    // A thread stalled for a second on a small window is not a cost of 1000 ns a pixel.
    meter.observe({ coarse: { ms: 1000, estimateNs: 1e6 }, listings: [{ ms: 1000, pixels: 1e6 }], sweeps: [] });
    expect(meter.costs.windowPixelNs).toBe(100);
    expect(meter.costs.coarseScale).toBe(10);
  });

  it('hands out copies: a caller cannot change what the next split is planned with', () => {
    const meter = new SplitCostMeter();
    const costs = meter.costs as { windowPixelNs: number };
    costs.windowPixelNs = 1e9;
    expect(meter.costs.windowPixelNs).toBe(DEFAULT_SPLIT_COSTS.windowPixelNs);
  });
});
