/**
 * Colour decontamination split into windows of rows, one per thread (imaging-workers.ts runs them):
 * the plan (planSplit: where the seams go, by split-costs.ts), a window's two halves (prepareRows: its
 * band, which needs no coarse level; finishRows: its sweeps from the whole image's coarse levels) and
 * the warm-up a fresh thread runs.
 */

import {
  bandWithinBudget,
  checkSolverOptions,
  FOREGROUND_DEFAULTS,
  levelShapes,
  pyramid,
  sweepWindow,
  type AlphaPlane,
  type CoarseLevel,
  type ForegroundOptions,
} from './foreground-estimation';
import {
  alphaClasses,
  cityBlockDistance,
  countBand,
  guardSpan,
  toBytes,
  windowBand,
  type GuardSpan,
  type WindowBand,
} from './foreground-band';
import { coarseCostNs, DEFAULT_SPLIT_COSTS, splitRows, type SplitCosts } from './split-costs';

/**
 * One part of a split decontamination: a window of whole rows of the image (its own rgb and
 * alpha, rows × width, first row at image row yOffset) and the rows of it to write (from ≤ y <
 * to, window rows). Plain data: it is posted to the worker thread (imaging-workers.ts).
 */
export interface RowsWindow {
  rgb: Uint8Array;
  alpha: Uint8Array;
  width: number;
  rows: number;
  yOffset: number;
  fullHeight: number;
  options: ForegroundOptions;
  span: GuardSpan;
  from: number;
  to: number;
}

/** The first half of decontaminateRows: what needs no coarse level (the worker does it while the pyramid is built). */
export function prepareRows(win: RowsWindow): WindowBand {
  return windowBand(win.alpha, win.width, win.rows, win.options, win.span);
}

/**
 * The decontaminated colours of a window's rows from..to, from its prepared band and the whole
 * image's coarse level: written into `target` at byte `targetOffset`, or into a new array.
 */
export function finishRows(win: RowsWindow, prepared: WindowBand, coarse: CoarseLevel, target?: Uint8Array, targetOffset = 0): Uint8Array {
  const { rgb, alpha, width, rows, from, to } = win;
  const { band, foreground } = sweepWindow(rgb, alpha, width, rows, coarse, win.options, prepared, false, win.yOffset, win.fullHeight);
  const out = target ?? new Uint8Array((to - from) * width * 3);
  const base = target ? targetOffset : 0;
  out.set(rgb.subarray(from * width * 3, to * width * 3), base);
  const lo = from * width;
  const hi = to * width;
  for (let b = 0; b < band.length; b++) {
    const i = band[b];
    if (i < lo || i >= hi) continue;
    const k = base + (i - lo) * 3;
    out[k] = foreground[b * 3] + 0.5;
    out[k + 1] = foreground[b * 3 + 1] + 0.5;
    out[k + 2] = foreground[b * 3 + 2] + 0.5;
  }
  return out;
}

/** prepareRows then finishRows. */
export function decontaminateRows(win: RowsWindow, coarse: CoarseLevel, target?: Uint8Array, targetOffset = 0): Uint8Array {
  return finishRows(win, prepareRows(win), coarse, target, targetOffset);
}

/**
 * Rows of overlap between neighbouring windows of a split beyond the guard's reach. A split cuts the
 * image into windows of rows that overlap by `margin` rows on each side of every seam row s; each
 * writes only its own rows. Inside its own rows a window gives the whole image's result when:
 * - the guard's distances are exact: a distance ≤ cap = D + 1 is found along a path of at most D + 1
 *   rows, so a margin ≥ D + 1 sees every path that matters (larger distances are capped anyway);
 * - the sweeps see the same neighbours: the finest level's Gauss–Seidel sweeps run in raster order,
 *   so a pixel reads the row below as it was one sweep earlier: after k sweeps nothing farther than
 *   k rows below row s reaches the window above (k = finestIterations = 3 ≪ margin). Downwards, the
 *   window below a seam lacks the upper neighbour of its first row (clamped to itself); that difference
 *   moves down through the chain of band pixels, shrinking by the neighbour weight d / (α² + Σd) < 1
 *   per row (d = ε + ω|Δα| = 1e-5 + 0.03|Δα| by default): after the margin's rows it is far below 1/255.
 * The pyramid's coarse levels (≤ coarseLimit pixels) are built once for the whole image and shared.
 * The split result equals the single-threaded one to within rounding (the unit tests assert ≤ 1).
 */
export const SPLIT_MARGIN_ROWS = 64;

/**
 * A decontamination prepared to run as windows of rows, one per thread: window i writes rows
 * starts[i] .. starts[i + 1] − 1 (the last one to the bottom); windows[0] is this thread's.
 */
export interface SplitPlan {
  windows: RowsWindow[];
  starts: number[];
  /** Whether the first worker lists window 0's band too (splitRows). */
  listFirstOnWorker: boolean;
  /** The coarse levels' estimated cost in ns before SplitCosts.coarseScale (what SplitCostMeter compares the time with). */
  coarseEstimateNs: number;
  /** Builds the whole image's coarse levels (every window sweeps from them). */
  coarse(): CoarseLevel;
}

/** The plan's grid for its estimate of the guard: every 2^shift-th row and column. */
interface GuardGrid {
  shift: number;
  gw: number;
  /** City-block distances to the background in grid steps (cityBlockDistance on the grid), capped above `reach`. */
  d: Uint16Array;
  /** The guard's D in whole grid steps: a grid point within it is within D pixels along the grid. */
  reach: number;
}

/**
 * The plan's estimate of the guard: cityBlockDistance on every 2^shift-th row and column of alpha
 * (background α < below), in grid steps. A background thinner than the grid can be missed (the
 * distance comes out larger than the guard's): it only weighs rows for the seams.
 */
function guardGrid(alpha0: Uint8Array, width: number, height: number, below: number, shift: number, D: number): GuardGrid {
  const gw = ((width - 1) >> shift) + 1;
  const gh = ((height - 1) >> shift) + 1;
  const grid = new Uint8Array(gw * gh);
  for (let gy = 0, g = 0; gy < gh; gy++)
    for (let gx = 0, i = (gy << shift) * width; gx < gw; gx++, g++, i += 1 << shift) grid[g] = alpha0[i];
  const reach = Math.floor(D / (1 << shift));
  return { shift, gw, reach, d: cityBlockDistance(grid, gw, gh, below, reach + 1) };
}

/**
 * One pass over every step-th row: its swept candidates (counted `step` times), and per row the
 * candidates within the guard's reach of the background as `grid` sees them (all of them without a grid).
 */
function sampleRows(
  alpha0: Uint8Array,
  width: number,
  height: number,
  step: number,
  classes: Uint8Array,
  grid?: GuardGrid,
): { candidates: number; guarded: Int32Array } {
  const guarded = new Int32Array(height);
  let candidates = 0;
  for (let y = 0; y < height; y += step) {
    let c = 0;
    let g = 0;
    const gridRow = grid ? (y >> grid.shift) * grid.gw : 0;
    for (let x = 0, i = y * width; x < width; x++, i++) {
      const k = classes[alpha0[i]];
      if (k & 1) {
        c++;
        if (!grid || grid.d[gridRow + (x >> grid.shift)] <= grid.reach) g++;
      }
    }
    guarded[y] = g;
    candidates += c * step;
  }
  return { candidates, guarded };
}

/**
 * Prepares decontaminate of a width × height image (a crop: guarded at guardWidth × guardHeight) as
 * `parts` windows of rows (at least 2; fewer when the image has too few rows for them); undefined when
 * it is not worth splitting (a dense finest level, fewer than `minBandPixels` swept pixels, over the
 * cap: decontaminateCrop then does it all). The seams (split-costs.ts splitRows, with `costs`) weigh
 * every 8th row by its band within the guard's reach as a grid of every 8th pixel estimates it (the
 * windows list their own exactly).
 */
export function planSplit(
  rgb: Uint8Array,
  alphaIn: AlphaPlane,
  width: number,
  height: number,
  guardWidth: number,
  guardHeight: number,
  options: Partial<ForegroundOptions> = {},
  minBandPixels = 0,
  parts = 2,
  costs: Readonly<SplitCosts> = DEFAULT_SPLIT_COSTS,
): SplitPlan | undefined {
  const o = { ...FOREGROUND_DEFAULTS, ...options };
  const n0 = width * height;
  if (!Number.isInteger(parts) || parts < 2) throw new RangeError(`a split needs 2 or more parts; got ${parts}`);
  checkSolverOptions(o);
  if (n0 <= o.denseLimit || height < 2) return undefined;
  if (rgb.length < n0 * 3 || alphaIn.length < n0) throw new Error(`image or alpha smaller than ${width}x${height}`);
  const alpha0 = alphaIn instanceof Float32Array ? toBytes(alphaIn, n0) : alphaIn;
  const span = guardSpan(o, guardWidth, guardHeight);
  const sweepLo = Math.max(o.sweepFrom, Number.MIN_VALUE);
  const step = height >= 64 ? 8 : 1;
  // The seams weigh every step-th row by the band the guard will leave there (estimated on a grid of every step-th pixel).
  const shift = Math.log2(step);
  const grid = span.D < Infinity ? guardGrid(alpha0, width, height, o.backgroundBelow, shift, span.D) : undefined;
  const { candidates, guarded } = sampleRows(alpha0, width, height, step, alphaClasses(sweepLo, o.opaqueFrom, 0), grid);
  const rowCosts = new Float64Array(height);
  for (let y = 0; y < height; y += step) rowCosts[y] = step * (costs.outPixelNs * width + costs.bandPixelNs * guarded[y]);
  // The cap is decided exactly whenever the image could exceed it: a sample of every 8th row can miss
  // nearly all of a band (an 8× upscaled mask's in-between rows), and the windows never check it again.
  if (n0 > o.maxBandPixels) {
    const exact = countBand(alpha0, width, height, sweepLo, o.opaqueFrom, 0);
    if (!bandWithinBudget(exact.candidates + exact.faintCount, o.maxBandPixels)) return undefined;
  }
  if (candidates < Math.max(1, minBandPixels)) return undefined;
  const margin = Math.max(SPLIT_MARGIN_ROWS, span.D < Infinity ? span.D + 1 : 0);
  const coarseEstimateNs = coarseCostNs(levelShapes(width, height, o), candidates / n0);
  const split = splitRows(rowCosts, width, Math.min(parts, height), coarseEstimateNs * costs.coarseScale, margin, costs.windowPixelNs);
  const { starts, listFirstOnWorker } = split;
  const windows = starts.map((from, i): RowsWindow => {
    const to = i + 1 < starts.length ? starts[i + 1] : height;
    const y0 = Math.max(0, from - margin);
    const y1 = Math.min(height, to + margin);
    return {
      rgb: rgb.subarray(y0 * width * 3, y1 * width * 3),
      alpha: alpha0.subarray(y0 * width, y1 * width),
      width,
      rows: y1 - y0,
      yOffset: y0,
      fullHeight: height,
      options: o,
      span,
      from: from - y0,
      to: to - y0,
    };
  });
  return { windows, starts, listFirstOnWorker, coarseEstimateNs, coarse: () => pyramid(rgb, alpha0, width, height, o) };
}

/**
 * Runs the split path a few times on a small synthetic image (a soft-edged disc), so that a fresh
 * thread's compiler has optimised the finest level's loops before the first photo arrives.
 */
export function warmUpDecontamination(): void {
  const width = 400;
  const height = 300;
  const rgb = new Uint8Array(width * height * 3);
  const alpha = new Uint8Array(width * height);
  for (let y = 0, i = 0; y < height; y++)
    for (let x = 0; x < width; x++, i++) {
      alpha[i] = Math.max(0, Math.min(255, Math.round(255 * ((110 - Math.hypot(x - 200, y - 150)) / 60 + 0.5))));
      rgb[i * 3] = x & 255;
      rgb[i * 3 + 1] = y & 255;
      rgb[i * 3 + 2] = (x + y) & 255;
    }
  const plan = planSplit(rgb, alpha, width, height, width, height);
  for (let r = 0; r < 4 && plan; r++) {
    const coarse = plan.coarse();
    for (const window of plan.windows) decontaminateRows(window, coarse);
  }
}
