/**
 * The cost model of a split decontamination (planSplit in decontamination-split.ts, run by
 * decontaminateBoxParallel in imaging-workers.ts): where the seams between the threads' windows go,
 * and whether a worker lists the first window's band. Its figures start from DEFAULT_SPLIT_COSTS and
 * follow what the process measures on every split (SplitCostMeter): the 2-core VM they were fitted
 * on runs some hours at half speed, and another host's cores differ in other ways.
 */
import type { LevelShape } from './foreground-estimation';

/** What a split's parts cost, in ns. */
export interface SplitCosts {
  /** Listing a window's band (the guard's two distance passes and the lists), per pixel of the window, margins included. */
  windowPixelNs: number;
  /** A window's sweeps (set-up, the finest sweeps, fade, merge), per swept band pixel. */
  bandPixelNs: number;
  /** A window's rows written out, per pixel. */
  outPixelNs: number;
  /** The coarse levels' measured time over coarseCostNs's estimate. */
  coarseScale: number;
}

/**
 * Fitted on the 2-core VM, 2026-12-01, on one thread: the 9 speed photos with the service's masks,
 * split 2, 3 and 4 ways, and crops of them at ¾ and ½ size (least squares; only the ratios matter).
 */
export const DEFAULT_SPLIT_COSTS: Readonly<SplitCosts> = Object.freeze({
  windowPixelNs: 10,
  bandPixelNs: 340,
  outPixelNs: 1,
  coarseScale: 1,
});

/**
 * The coarse levels' shape of cost (the same fit): LEVEL_PIXEL_NS per pixel built, DENSE_UPDATE_NS per
 * pixel and sweep on a dense level, BAND_UPDATE_NS per band pixel and sweep on a band-only one.
 */
const LEVEL_PIXEL_NS = 90;
const DENSE_UPDATE_NS = 50;
const BAND_UPDATE_NS = 170;

/**
 * The coarse levels' estimated cost in ns (before SplitCosts.coarseScale): the pyramid's levels below
 * the finest (levelShapes), `bandFraction` of a band-only level's pixels swept (the full-size image's
 * share of candidates).
 */
export function coarseCostNs(levels: LevelShape[], bandFraction: number): number {
  let ns = 0;
  for (const { w, h, iterations, dense, last } of levels) {
    if (last) continue;
    const n = w * h;
    ns += LEVEL_PIXEL_NS * n + iterations * n * (dense ? DENSE_UPDATE_NS : BAND_UPDATE_NS * bandFraction);
  }
  return ns;
}

/** Where the split's windows start, and who lists the first window's band. */
export interface SplitRows {
  /** The first row of each window: starts[0] = 0, strictly increasing, all < rows. */
  starts: number[];
  /** Whether the first worker lists window 0's band (before its own) while this thread builds the coarse levels. */
  listFirstOnWorker: boolean;
}

/**
 * Seams for `parts` windows, chosen so that the last thread to finish finishes as early as the cost
 * model says it can. The schedule (decontaminateBoxParallel): this thread builds the coarse levels
 * (`coarseNs`) while every worker lists its own window's band, and the first worker lists window 0's
 * too, before its own, when that is estimated to end sooner than this thread listing it after the
 * coarse levels (listFirstOnWorker). No window is swept before the coarse levels are done. A window
 * lists and sweeps its own rows and `margin` rows on each side; `rowCosts` are the sweeps' estimated
 * cost of each row. For a finishing time T the windows take, from the top, as many rows as they can
 * finish by T (the last one the rest); T is the least for which the last one finishes too (bisection,
 * to 0.1 %).
 */
export function splitRows(
  rowCosts: Float64Array,
  width: number,
  parts: number,
  coarseNs: number,
  margin: number,
  windowPixelNs: number = DEFAULT_SPLIT_COSTS.windowPixelNs,
): SplitRows {
  const height = rowCosts.length;
  if (!Number.isInteger(parts) || parts < 2 || parts > height) throw new RangeError(`cannot split ${height} rows into ${parts} windows`);
  const prefix = new Float64Array(height + 1);
  for (let y = 0; y < height; y++) prefix[y + 1] = prefix[y] + rowCosts[y];
  const lo = (a: number) => Math.max(0, a - margin);
  const hi = (b: number) => Math.min(height, b + margin);
  const sweeps = (a: number, b: number) => prefix[hi(b)] - prefix[lo(a)];
  const listing = (a: number, b: number) => windowPixelNs * width * (hi(b) - lo(a));
  /** The seams for a finishing time T, and whether the last window finishes by it. */
  const plan = (T: number, onWorker: boolean): { starts: number[]; fits: boolean } => {
    // When window i (own rows a .. b − 1; window 0 ends at firstEnd) can start its sweeps.
    const head = (i: number, a: number, b: number, firstEnd: number) => {
      if (i === 0) return onWorker ? Math.max(coarseNs, listing(0, b)) : coarseNs + listing(0, b);
      return Math.max(coarseNs, listing(a, b) + (i === 1 && onWorker ? listing(0, firstEnd) : 0));
    };
    const starts = [0];
    for (let i = 0; i < parts - 1; i++) {
      const a = starts[i];
      // At least one row, and one row left for each window still to come.
      let b = a + 1;
      while (b < height - (parts - 2 - i) - 1 && head(i, a, b + 1, i === 0 ? b + 1 : starts[1]) + sweeps(a, b + 1) <= T) b++;
      starts.push(b);
    }
    const a = starts[parts - 1];
    return { starts, fits: head(parts - 1, a, height, starts[1]) + sweeps(a, height) <= T };
  };
  const best = (onWorker: boolean) => {
    let low = 0;
    let high = coarseNs + 2 * listing(0, height) + sweeps(0, height);
    // To 0.1 % of the time (the model is not better than that).
    while (high - low > high * 1e-3) {
      const mid = (low + high) / 2;
      if (plan(mid, onWorker).fits) high = mid;
      else low = mid;
    }
    return { T: high, starts: plan(high, onWorker).starts };
  };
  const here = best(false);
  const there = best(true);
  return there.T < here.T ? { starts: there.starts, listFirstOnWorker: true } : { starts: here.starts, listFirstOnWorker: false };
}

/** What one split measured: its coarse levels, every band listed, every window swept. */
export interface SplitTimings {
  coarse?: { ms: number; estimateNs: number };
  listings: { ms: number; pixels: number }[];
  sweeps: { ms: number; bandPixels: number; outPixels: number }[];
}

/** Samples smaller than these say more about timer noise than about the cost. */
const MIN_LISTED_PIXELS = 100_000;
const MIN_SWEPT_BAND_PIXELS = 5_000;
/** A measured figure is kept within this factor of its default (a stalled thread is not a cost). */
const MAX_FACTOR = 10;

/**
 * The split costs this process has measured: exponential moving averages (each new sample weighs
 * `weight`) of every split's timings, starting from DEFAULT_SPLIT_COSTS.
 */
export class SplitCostMeter {
  private current: SplitCosts = { ...DEFAULT_SPLIT_COSTS };

  constructor(private readonly weight = 0.25) {}

  get costs(): Readonly<SplitCosts> {
    return { ...this.current };
  }

  observe({ coarse, listings, sweeps }: SplitTimings): void {
    if (coarse && coarse.estimateNs > 0) this.update('coarseScale', (coarse.ms * 1e6) / coarse.estimateNs);
    for (const { ms, pixels } of listings) if (pixels >= MIN_LISTED_PIXELS) this.update('windowPixelNs', (ms * 1e6) / pixels);
    for (const { ms, bandPixels, outPixels } of sweeps)
      if (bandPixels >= MIN_SWEPT_BAND_PIXELS) this.update('bandPixelNs', (ms * 1e6 - this.current.outPixelNs * outPixels) / bandPixels);
  }

  private update(key: keyof SplitCosts, sample: number): void {
    if (!Number.isFinite(sample) || sample <= 0) return;
    const base = DEFAULT_SPLIT_COSTS[key];
    const bounded = Math.min(base * MAX_FACTOR, Math.max(base / MAX_FACTOR, sample));
    this.current[key] += this.weight * (bounded - this.current[key]);
  }
}
