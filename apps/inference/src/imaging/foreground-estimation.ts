/**
 * Foreground colour estimation ("colour decontamination") for cut-outs.
 *
 * A partly transparent pixel of a photo mixes the subject's colour F with the background's B:
 * I = αF + (1 − α)B. Keeping I in a cut-out carries the old background into the new one (a
 * white fringe on a dark background). Given I and α we estimate F (and B) with smooth F and B.
 *
 * Method: the multi-level foreground estimation of Germer, Uelwer, Conrad & Harmeling,
 * "Fast Multi-Level Foreground Estimation", ICPR 2020 (arXiv:2006.14970). Coarse to fine over
 * a pyramid of nearest-neighbour resized images (level i of n has size w0^(i/n) × h0^(i/n)),
 * F and B are upsampled from the previous level and refined by a few sweeps; per pixel they
 * minimise (αF + (1 − α)B − I)² + Σ_neighbours d·(‖F − F_n‖² + ‖B − B_n‖²) with
 * d = ε + ω·|α − α_n| over the 4 neighbours, a 2×2 linear system per pixel shared by the three
 * channels. Written here in typed arrays (Gauss–Seidel sweeps in place, no allocation per pixel).
 *
 * Restricted work: levels larger than `denseLimit` pixels are only swept over the partly
 * transparent pixels with sweepFrom ≤ α < opaqueFrom; there F is pinned to I where α ≥ opaqueFrom
 * and B to I where α = 0 (the solve would put them close to I anyway, apart from smoothing towards
 * the band), B inside the subject and F outside keep the values diffused from the coarser levels,
 * and on the finest level the nearly transparent pixels (0 < α < sweepFrom) take the coarser
 * level's F while the nearly opaque ones keep I. A model's mask has many of both (a quarter of a
 * 5 MP photo's pixels had 0 < α < 1, most of them within 2 % of 0 or 1). The finest level is kept
 * compact (per band pixel: its 2×2 system, the fixed neighbours' part of the right-hand side,
 * its band neighbours' slots), so no full-size F and B are allocated.
 *
 * Guard against model errors: where a model makes opaque fur or fabric partly transparent far
 * inside the subject, the "background" there was never seen and the estimate only shifts colours
 * (casts, blotches). So band pixels get the new colour in full only within a city-block distance D1
 * of a background pixel (α < backgroundBelow); from D1 to D2 it fades linearly into I (weight
 * (D2 − d)/(D2 − D1)), so no seam shows where a model's α ≈ 0.5 crosses the distance; from D2 on
 * they keep I and are pinned as F = I for their neighbours (like opaque ones). D1 and D2 are
 * `guardDistance` and `guardFade` pixels at the model's 1024-pixel long side, scaled up with larger
 * images (never below). The distance transform is two passes over a Uint16Array, fused with the
 * candidate count and the band list (no extra full-size pass).
 *
 * Cost (a 5 MP photo with a model's mask, a quarter of its pixels partly transparent): alpha is read
 * as 8 bits (float alpha is rounded to 1/255), the finest level skips the nearly transparent pixels
 * (α < sweepFrom: they change the composite by at most that much) and sweeps only 3 times, and the
 * pyramid skips its largest coarse levels (coarseLimit); the finest level starts from a 2^17-pixel one.
 */

import { largeBuffers } from './buffer-pool';
import { coarseCostNs, DEFAULT_SPLIT_COSTS, splitRows, type SplitCosts } from './split-costs';

export interface ForegroundOptions {
  /** ε: smoothness weight between neighbours, > 0 (keeps every 2×2 system invertible). */
  regularization: number;
  /** ω: extra smoothness across alpha edges, times |α − α_neighbour|. */
  gradientWeight: number;
  /** Sweeps on levels whose width and height are both ≤ smallSize. */
  smallIterations: number;
  /** Sweeps on larger levels. */
  bigIterations: number;
  /** Sweeps on a band-only finest level (see denseLimit). */
  finestIterations: number;
  /**
   * Pyramid levels (other than the finest) with more pixels than this are skipped: the finest level
   * starts from the largest level within it. Infinity: the paper's full pyramid.
   */
  coarseLimit: number;
  smallSize: number;
  /** Levels with more pixels than this are swept over the 0 < α < 1 band only (see above); Infinity sweeps everything. */
  denseLimit: number;
  /**
   * On a band-only finest level: pixels with 0 < α < sweepFrom are not swept and take the
   * coarser level's F (a model's mask holds many nearly transparent pixels), and pixels with
   * α ≥ opaqueFrom keep I (within 1 − opaqueFrom of F) and count as opaque neighbours.
   */
  sweepFrom: number;
  opaqueFrom: number;
  /**
   * D1: band pixels within this city-block distance of a background pixel (α < backgroundBelow)
   * get the new colour in full; in pixels at a 1024-pixel long side (scaled up for larger images).
   * Infinity: no guard.
   */
  guardDistance: number;
  /**
   * D2 (same unit): from D1 the new colour fades linearly into the photo's, which pixels at D2 or
   * farther keep. At or below guardDistance: a hard cut after D1.
   */
  guardFade: number;
  /** α below this is background for the guard. */
  backgroundBelow: number;
  /**
   * The memory and time cap: with more partly transparent pixels than this (0 < α < opaqueFrom,
   * counted before the guard), nothing is estimated and the photo's colours are kept
   * (see MAX_BAND_PIXELS). Infinity: no cap.
   */
  maxBandPixels: number;
}

/**
 * Bytes the finest level holds per band pixel: per swept pixel F, B, the inverted 2×2 system
 * (3 floats each), the right-hand side (6 floats), 4 neighbour slots and 4 weights (92 B), plus
 * the band and faint lists (4 B) and the merged output's index and F (16 B) per band pixel.
 */
export const BAND_PIXEL_BYTES = 92 + 4 + 16;

/**
 * The cap on decontamination (ForegroundOptions.maxBandPixels): 8 M band pixels hold about
 * 8e6 × 112 B ≈ 0.9 GB on the finest level, on top of the full-size guard distances (2 B a
 * pixel) and the output copy (3 B a pixel), plus, when the service splits the work between the
 * main thread and workers (imaging-workers.ts), the workers' copies of their rows (4 B a pixel);
 * the sweeps take roughly 0.1 s per million band pixels on one core. INFERENCE_MAX_PIXELS allows
 * 50 MP photos, whose model masks can hold 10 M+ partly transparent pixels: above the cap their cut-out keeps
 * the photo's colours (as with decontaminate: false) rather than risking ~1.5 GB and seconds of
 * a blocked event loop. A 24 MP photo with a quarter of it partly transparent (6 M) still fits.
 */
export const MAX_BAND_PIXELS = 8_000_000;

/** The skip rule: whether a band of `bandPixels` partly transparent pixels is within the cap. */
export function bandWithinBudget(bandPixels: number, maxBandPixels: number = MAX_BAND_PIXELS): boolean {
  return bandPixels <= maxBandPixels;
}

/**
 * Chosen on the `tune` half of the `am` set with `npm run eval:colour -- --tune` (lowest mean
 * band colour error over the three backgrounds; grid ε 1e-5/1e-3, ω 0/0.03/0.1/0.3/1, sweeps
 * 2/4/8): 0.0627 against 0.0833 with the paper's ω = 1 and 2 sweeps, and 0.1710 keeping I.
 * Sweeping every pixel of every level instead (denseLimit Infinity) gave 0.0604 at about 5× the
 * time. opaqueFrom 0.98 costs nothing there (0.0627; 0.95: 0.0634) and skips most of a model
 * mask's band; sweepFrom 0.02 would cost 0.0033 (0.0660), so every α > 0 is swept.
 * Guard (grid D 8/16/24/32/48 × background α < 0.02/0.05/0.1 on `tune`): D 24, α < 0.05 costs 0.0013
 * there (0.0640) and, with the service's own masks on the `tune` photos (`--model-alpha`), cuts the
 * colour change in pixels the human mask calls opaque from 4.94‰ to 1.30‰ (pixels changed > 16
 * levels 55,931 → 12,759); D 16 would give 0.0658 and 0.89‰, D 32 0.0632 and 1.63‰.
 * Fade and cheaper finest level (`--tune-fade`, `--tune-speed` on `tune`, objective the α-weighted band
 * error, mean over the composites, with the model-alpha damage): a hard cut at D 24 gave 0.0237 and
 * 1.30‰ (and a seam); D1 16 → D2 48 gives 0.0229 and 1.60‰ (16 → 32: 0.0238, 1.30‰; 24 → 40: 0.0227,
 * 1.62‰; 8 → 24: 0.0264, 0.91‰). Not sweeping α ≤ 4/255, 4 finest sweeps and skipping coarse levels
 * over 2^17 pixels then cost 0.0006 (0.0235, damage 1.59‰); 3 finest sweeps 0.0001 more (opaqueFrom 0.95
 * would cost 0.0015). About 650 → 110–160 ms on the 5.2 MP speed photo with the service's mask.
 */
export const FOREGROUND_DEFAULTS: ForegroundOptions = {
  regularization: 1e-5,
  gradientWeight: 0.03,
  smallIterations: 10,
  bigIterations: 8,
  finestIterations: 3,
  coarseLimit: 1 << 17,
  smallSize: 32,
  denseLimit: 1 << 16,
  sweepFrom: 4.5 / 255,
  opaqueFrom: 0.98,
  guardDistance: 16,
  guardFade: 48,
  backgroundBelow: 0.05,
  maxBandPixels: MAX_BAND_PIXELS,
};

/** F and B of the partly transparent pixels only (0 < α < 1), in raster order. */
export interface ForegroundEstimate {
  /** Pixel indices (y · width + x) of the band. */
  band: Int32Array;
  /** Interleaved RGB per band pixel, 0..255: the estimate, faded into the photo's colour from D1 to D2. */
  foreground: Float32Array;
  /** Interleaved RGB per band pixel, 0..255. */
  background: Float32Array;
  /** Set when the band was over maxBandPixels: nothing was estimated (the band is empty); its size. */
  skippedBandPixels?: number;
}

/** What the estimate builds: decontaminate needs no background. */
interface Estimate {
  band: Int32Array;
  foreground: Float32Array;
  background?: Float32Array;
  skippedBandPixels?: number;
}

/** Alpha as 8-bit (0..255) or float (0..1), one value per pixel. */
export type AlphaPlane = Uint8Array | Float32Array;

/** The guard's D in pixels for an image of this size (see ForegroundOptions.guardDistance). */
export function guardPixels(guardDistance: number, width: number, height: number): number {
  if (!Number.isFinite(guardDistance)) return Infinity;
  return Math.min(MAX_GUARD_PIXELS, Math.max(0, Math.round(guardDistance * Math.max(1, Math.max(width, height) / 1024))));
}

/** The largest finite D (distances are capped at D + 1 in a Uint16Array). */
const MAX_GUARD_PIXELS = 65534;

/**
 * City-block (4-neighbour) distance from every pixel to the nearest pixel with α < below, capped at
 * `cap` (≤ 65535): two raster passes (Rosenfeld & Pfaltz). With no such pixel every distance is `cap`.
 */
export function cityBlockDistance(alpha: AlphaPlane, width: number, height: number, below: number, cap: number): Uint16Array {
  const d = new Uint16Array(width * height);
  const limit = Math.min(65535, Math.max(0, cap));
  const threshold = alpha instanceof Float32Array ? below : below * 255;
  for (let y = 0, i = 0; y < height; y++)
    for (let x = 0; x < width; x++, i++) {
      if (alpha[i] < threshold) continue;
      let v = limit;
      if (y > 0 && d[i - width] + 1 < v) v = d[i - width] + 1;
      if (x > 0 && d[i - 1] + 1 < v) v = d[i - 1] + 1;
      d[i] = v;
    }
  backwardPass(d, width, height);
  return d;
}

/** The second pass of cityBlockDistance: bottom-right to top-left. */
function backwardPass(d: Uint16Array, width: number, height: number): void {
  for (let y = height - 1, i = width * height - 1; y >= 0; y--)
    for (let x = width - 1; x >= 0; x--, i--) {
      const v = d[i];
      if (v === 0) continue;
      let m = v;
      if (y < height - 1 && d[i + width] + 1 < m) m = d[i + width] + 1;
      if (x < width - 1 && d[i + 1] + 1 < m) m = d[i + 1] + 1;
      if (m < v) d[i] = m;
    }
}

/**
 * The guard's backward pass fused with listing the finest level's band: pixels with α > 0,
 * lo ≤ α < hi and distance ≤ D, in raster order; and the faint ones (0 < α < lo, distance ≤ D).
 * `count` and `faintCount` bound their numbers (the forward pass's counts).
 */
function backwardPassBand(
  d: Uint16Array,
  alpha: Uint8Array,
  width: number,
  height: number,
  lo: number,
  hi: number,
  D: number,
  count: number,
  faintCount: number,
): { band: Int32Array; faint: Int32Array } {
  const band = new Int32Array(count);
  const faint = new Int32Array(faintCount);
  let b = count;
  let f = faintCount;
  for (let y = height - 1, i = width * height - 1; y >= 0; y--)
    for (let x = width - 1; x >= 0; x--, i--) {
      let m = d[i];
      if (m !== 0) {
        if (y < height - 1 && d[i + width] + 1 < m) m = d[i + width] + 1;
        if (x < width - 1 && d[i + 1] + 1 < m) m = d[i + 1] + 1;
        d[i] = m;
      }
      const a = alpha[i] * INV255;
      if (m <= D && a > 0 && a < hi) {
        if (a >= lo) band[--b] = i;
        else faint[--f] = i;
      }
    }
  return { band: band.subarray(b), faint: faint.subarray(f) };
}

/** The guard: the distance to background and D (pixels farther than D keep I; D = D2 − 1, or D1 with no fade). */
interface Guard {
  dist: Uint16Array;
  D: number;
  D1: number;
  D2: number;
}

/**
 * The guard's fade: how much of the new colour a band pixel at city-block distance d from the
 * background gets (1 up to D1, 0 from D2 on, linear between; D2 ≤ D1: 1 up to D1, then 0).
 */
export function guardWeight(d: number, D1: number, D2: number): number {
  if (d <= D1) return 1;
  if (d >= D2) return 0;
  return (D2 - d) / (D2 - D1);
}

/** Blends the estimated F of the band pixels between D1 and D2 with the photo's colour, in place. */
function applyFade(estimate: Estimate, rgb: Uint8Array, guard: Guard | undefined): Estimate {
  if (!guard || guard.D <= guard.D1) return estimate;
  const { band, foreground } = estimate;
  const { dist, D1, D2 } = guard;
  for (let b = 0; b < band.length; b++) {
    const d = dist[band[b]];
    if (d <= D1) continue;
    const w = (D2 - d) / (D2 - D1);
    const k = band[b] * 3;
    const o = b * 3;
    foreground[o] = w * foreground[o] + (1 - w) * rgb[k];
    foreground[o + 1] = w * foreground[o + 1] + (1 - w) * rgb[k + 1];
    foreground[o + 2] = w * foreground[o + 2] + (1 - w) * rgb[k + 2];
  }
  return estimate;
}

/**
 * Indices of the pixels with lo < α < hi (lo exclusive) or lo ≤ α < hi (`fromLo`), in raster order;
 * α is alpha[i] · scale (floats: 1, 8-bit: 1/255).
 */
function bandOf(alpha: AlphaPlane, scale: number, n: number, lo = 0, hi = 1, fromLo = false, guard?: Guard): Int32Array {
  const inside = (i: number) => {
    const a = alpha[i] * scale;
    return (fromLo ? a >= lo : a > lo) && a < hi && (!guard || guard.dist[i] <= guard.D);
  };
  let count = 0;
  for (let i = 0; i < n; i++) if (inside(i)) count++;
  const band = new Int32Array(count);
  for (let i = 0, b = 0; i < n; i++) if (inside(i)) band[b++] = i;
  return band;
}

/** Band pixels up to which sweepFinestBand reuses this thread's memory (about 92 bytes a pixel: ~46 MB held at most). */
export const SWEEP_MEMORY_MAX_PIXELS = 500_000;
let sweepFloats = new Float32Array(0);
let sweepInts = new Int32Array(0);

/**
 * Memory for the finest sweep's per-pixel systems of `nb` band pixels: 19 floats and 4 ints a
 * pixel. Up to SWEEP_MEMORY_MAX_PIXELS it is this thread's (module-level, grown as needed) and
 * reused by the next call: a request's band no longer allocates tens of MB anew, which drove the
 * service's full garbage collections (V8 collects on external memory growth). The sweep is
 * synchronous and never nests, so one set per thread is enough; larger bands get their own.
 */
function sweepMemory(nb: number): { floats: Float32Array; ints: Int32Array } {
  if (nb > SWEEP_MEMORY_MAX_PIXELS) return { floats: new Float32Array(nb * 19), ints: new Int32Array(nb * 4) };
  if (sweepFloats.length < nb * 19) {
    const grown = Math.min(SWEEP_MEMORY_MAX_PIXELS, Math.ceil(nb * 1.5));
    sweepFloats = new Float32Array(grown * 19);
    sweepInts = new Int32Array(grown * 4);
  }
  return { floats: sweepFloats, ints: sweepInts };
}

/**
 * The finest level, swept over the band only and stored compactly (no full-size F and B):
 * each band pixel's 2×2 system, the right-hand side from its colour and its fixed neighbours
 * (F = I where α = 1, B = I where α = 0, the coarser level's value otherwise) are set up once;
 * a sweep then only adds the band neighbours' current values.
 */
function sweepFinestBand(
  rgb: Uint8Array,
  alpha: Uint8Array,
  width: number,
  height: number,
  prevF: Float32Array,
  prevB: Float32Array,
  pw: number,
  ph: number,
  iterations: number,
  eps: number,
  omega: number,
  sweepFrom: number,
  opaqueFrom: number,
  band: Int32Array,
  faintBand: Int32Array | undefined,
  guard: Guard | undefined,
  keepBackground: boolean,
  yOffset = 0,
  fullHeight = height,
): Estimate {
  const nb = band.length;
  const dist = guard?.dist;
  const D = guard ? guard.D : Infinity;
  // Every element below is written before it is read; none of them outlives this call (see sweepMemory).
  const { floats, ints } = sweepMemory(nb);
  const Fc = floats.subarray(0, nb * 3);
  const Bc = floats.subarray(nb * 3, nb * 6);
  const inv = floats.subarray(nb * 6, nb * 9);
  const rhs = floats.subarray(nb * 9, nb * 15);
  const nbDa = floats.subarray(nb * 15, nb * 19);
  const nbSlot = ints.subarray(0, nb * 4);
  // Nearest-neighbour index into the coarser level.
  const pxs = new Int32Array(width);
  const pys = new Int32Array(height);
  for (let x = 0; x < width; x++) pxs[x] = Math.min(pw - 1, Math.floor((x * pw) / width));
  // A window of rows (yOffset ≥ 0) maps into the coarser level by the whole image's rows.
  for (let y = 0; y < height; y++) pys[y] = Math.min(ph - 1, Math.floor(((y + yOffset) * ph) / fullHeight)) * pw;
  const prevAt = (j: number) => {
    const y = (j / width) | 0;
    return (pys[y] + pxs[j - y * width]) * 3;
  };
  // The slots of the pixels above and below: both only move forward as the band is walked in raster order.
  let up = 0;
  let down = 0;
  for (let b = 0; b < nb; b++) {
    const i = band[b];
    const y = (i / width) | 0;
    const x = i - y * width;
    const a0 = alpha[i] * INV255;
    const a1 = 1 - a0;
    let a00 = a0 * a0;
    let a11 = a1 * a1;
    const a01 = a0 * a1;
    const k = i * 3;
    let f0 = a0 * rgb[k];
    let f1 = a0 * rgb[k + 1];
    let f2 = a0 * rgb[k + 2];
    let b0 = a1 * rgb[k];
    let b1 = a1 * rgb[k + 1];
    let b2 = a1 * rgb[k + 2];
    const p = (pys[y] + pxs[x]) * 3;
    for (let c = 0; c < 3; c++) {
      Fc[b * 3 + c] = prevF[p + c];
      Bc[b * 3 + c] = prevB[p + c];
    }
    for (let d = 0; d < 4; d++) {
      // A clamped border neighbour is the pixel itself (a band pixel, slot b).
      let j = i;
      let slot = b;
      let q = p;
      if (d === 0 && x > 0) {
        j = i - 1;
        slot = band[b - 1] === j ? b - 1 : -1;
        q = (pys[y] + pxs[x - 1]) * 3;
      } else if (d === 1 && x < width - 1) {
        j = i + 1;
        slot = band[b + 1] === j ? b + 1 : -1;
        q = (pys[y] + pxs[x + 1]) * 3;
      } else if (d === 2 && y > 0) {
        j = i - width;
        q = (pys[y - 1] + pxs[x]) * 3;
        while (band[up] < j) up++;
        slot = band[up] === j ? up : -1;
      } else if (d === 3 && y < height - 1) {
        j = i + width;
        q = (pys[y + 1] + pxs[x]) * 3;
        while (down < nb && band[down] < j) down++;
        slot = down < nb && band[down] === j ? down : -1;
      }
      const aj = alpha[j] * INV255;
      const da = eps + omega * Math.abs(a0 - aj);
      a00 += da;
      a11 += da;
      nbSlot[b * 4 + d] = slot;
      nbDa[b * 4 + d] = da;
      if (slot >= 0) continue;
      // A fixed neighbour: pinned to the image on its known side, the coarser level's value on the other.
      const m = j * 3;
      if (aj >= opaqueFrom || (dist !== undefined && dist[j] > D)) {
        f0 += da * rgb[m];
        f1 += da * rgb[m + 1];
        f2 += da * rgb[m + 2];
      } else {
        f0 += da * prevF[q];
        f1 += da * prevF[q + 1];
        f2 += da * prevF[q + 2];
      }
      if (aj <= 0) {
        b0 += da * rgb[m];
        b1 += da * rgb[m + 1];
        b2 += da * rgb[m + 2];
      } else {
        b0 += da * prevB[q];
        b1 += da * prevB[q + 1];
        b2 += da * prevB[q + 2];
      }
    }
    const det = 1 / (a00 * a11 - a01 * a01);
    inv[b * 3] = det * a11;
    inv[b * 3 + 1] = -det * a01;
    inv[b * 3 + 2] = det * a00;
    const r = b * 6;
    rhs[r] = f0;
    rhs[r + 1] = f1;
    rhs[r + 2] = f2;
    rhs[r + 3] = b0;
    rhs[r + 4] = b1;
    rhs[r + 5] = b2;
  }
  for (let it = 0; it < iterations; it++)
    for (let b = 0; b < nb; b++) {
      const r = b * 6;
      let f0 = rhs[r];
      let f1 = rhs[r + 1];
      let f2 = rhs[r + 2];
      let b0 = rhs[r + 3];
      let b1 = rhs[r + 4];
      let b2 = rhs[r + 5];
      for (let d = 0; d < 4; d++) {
        const slot = nbSlot[b * 4 + d];
        if (slot < 0) continue;
        const da = nbDa[b * 4 + d];
        const m = slot * 3;
        f0 += da * Fc[m];
        f1 += da * Fc[m + 1];
        f2 += da * Fc[m + 2];
        b0 += da * Bc[m];
        b1 += da * Bc[m + 1];
        b2 += da * Bc[m + 2];
      }
      const p00 = inv[b * 3];
      const p01 = inv[b * 3 + 1];
      const p11 = inv[b * 3 + 2];
      const k = b * 3;
      Fc[k] = clamp255(p00 * f0 + p01 * b0);
      Fc[k + 1] = clamp255(p00 * f1 + p01 * b1);
      Fc[k + 2] = clamp255(p00 * f2 + p01 * b2);
      Bc[k] = clamp255(p01 * f0 + p11 * b0);
      Bc[k + 1] = clamp255(p01 * f1 + p11 * b1);
      Bc[k + 2] = clamp255(p01 * f2 + p11 * b2);
    }
  if (!(sweepFrom > 0)) return { band, foreground: Fc.slice(), background: Bc.slice() };
  // The nearly transparent pixels take the coarser level's F and B; merged in raster order.
  const faint = faintBand ?? bandOf(alpha, INV255, width * height, 0, sweepFrom, false, guard);
  const all = new Int32Array(nb + faint.length);
  const foreground = new Float32Array(all.length * 3);
  // decontaminate never reads B: not built on its path.
  const background = keepBackground ? new Float32Array(all.length * 3) : undefined;
  const nf = faint.length;
  for (let o = 0, k = 0, b = 0, f = 0; o < all.length; o++, k += 3) {
    if (f >= nf || (b < nb && band[b] < faint[f])) {
      const src = b * 3;
      all[o] = band[b++];
      foreground[k] = Fc[src];
      foreground[k + 1] = Fc[src + 1];
      foreground[k + 2] = Fc[src + 2];
      if (background) {
        background[k] = Bc[src];
        background[k + 1] = Bc[src + 1];
        background[k + 2] = Bc[src + 2];
      }
    } else {
      const src = prevAt(faint[f]);
      all[o] = faint[f++];
      foreground[k] = prevF[src];
      foreground[k + 1] = prevF[src + 1];
      foreground[k + 2] = prevF[src + 2];
      if (background) {
        background[k] = prevB[src];
        background[k + 1] = prevB[src + 1];
        background[k + 2] = prevB[src + 2];
      }
    }
  }
  return { band: all, foreground, background };
}

/**
 * Builds one pyramid level in one pass: image and alpha resized from the full-size input, F and B
 * from the previous level, by the paper's nearest-neighbour index rule (src = ⌊dst · size_src / size_dst⌋).
 * With `pin`, F = I where α ≥ opaqueFrom and B = I where α = 0. Returns how many pixels are to be swept
 * (sweepFrom ≤ α < opaqueFrom, α > 0).
 */
function buildLevel(
  rgb: Uint8Array,
  alpha0: Uint8Array,
  width: number,
  height: number,
  prevF: Float32Array,
  prevB: Float32Array,
  pw: number,
  ph: number,
  level: Level,
  pin: boolean,
  sweepFrom: number,
  opaqueFrom: number,
): number {
  const { w, h, image, alpha, F, B } = level;
  const full = w === width && h === height;
  const xs = new Int32Array(w);
  const pxs = new Int32Array(w);
  for (let x = 0; x < w; x++) {
    xs[x] = Math.min(width - 1, Math.floor((x * width) / w));
    pxs[x] = Math.min(pw - 1, Math.floor((x * pw) / w));
  }
  let band = 0;
  for (let y = 0; y < h; y++) {
    const srow = Math.min(height - 1, Math.floor((y * height) / h)) * width;
    const prow = Math.min(ph - 1, Math.floor((y * ph) / h)) * pw;
    for (let x = 0, i = y * w; x < w; x++, i++) {
      const s = srow + xs[x];
      const k = i * 3;
      const a = alpha0[s] * INV255;
      alpha[i] = a;
      if (!full) {
        const m = s * 3;
        image[k] = rgb[m];
        image[k + 1] = rgb[m + 1];
        image[k + 2] = rgb[m + 2];
      }
      const p = (prow + pxs[x]) * 3;
      if (pin && a >= opaqueFrom) {
        F[k] = image[k];
        F[k + 1] = image[k + 1];
        F[k + 2] = image[k + 2];
      } else {
        F[k] = prevF[p];
        F[k + 1] = prevF[p + 1];
        F[k + 2] = prevF[p + 2];
      }
      if (pin && a <= 0) {
        B[k] = image[k];
        B[k + 1] = image[k + 1];
        B[k + 2] = image[k + 2];
      } else {
        B[k] = prevB[p];
        B[k + 1] = prevB[p + 1];
        B[k + 2] = prevB[p + 2];
      }
      if (a > 0 && a >= sweepFrom && a < opaqueFrom) band++;
    }
  }
  return band;
}

interface Level {
  w: number;
  h: number;
  image: Uint8Array;
  alpha: Float32Array;
  F: Float32Array;
  B: Float32Array;
}

/**
 * One Gauss–Seidel update of pixel (x, y): solves the 2×2 system for F and B of its 3 channels
 * from its colour, its alpha and its 4 neighbours (clamped at the border).
 */
export function updatePixel(
  x: number,
  y: number,
  w: number,
  h: number,
  image: Uint8Array,
  alpha: Float32Array,
  F: Float32Array,
  B: Float32Array,
  eps: number,
  omega: number,
): void {
  const i = y * w + x;
  const a0 = alpha[i];
  const a1 = 1 - a0;
  let a00 = a0 * a0;
  const a01 = a0 * a1;
  let a11 = a1 * a1;
  const k = i * 3;
  const r = image[k];
  const g = image[k + 1];
  const b = image[k + 2];
  let f0 = a0 * r;
  let f1 = a0 * g;
  let f2 = a0 * b;
  let b0 = a1 * r;
  let b1 = a1 * g;
  let b2 = a1 * b;
  for (let d = 0; d < 4; d++) {
    let j: number;
    if (d === 0) j = x > 0 ? i - 1 : i;
    else if (d === 1) j = x < w - 1 ? i + 1 : i;
    else if (d === 2) j = y > 0 ? i - w : i;
    else j = y < h - 1 ? i + w : i;
    const da = eps + omega * Math.abs(a0 - alpha[j]);
    a00 += da;
    a11 += da;
    const m = j * 3;
    f0 += da * F[m];
    f1 += da * F[m + 1];
    f2 += da * F[m + 2];
    b0 += da * B[m];
    b1 += da * B[m + 1];
    b2 += da * B[m + 2];
  }
  const inv = 1 / (a00 * a11 - a01 * a01);
  const p00 = inv * a11;
  const p01 = -inv * a01;
  const p11 = inv * a00;
  F[k] = clamp255(p00 * f0 + p01 * b0);
  F[k + 1] = clamp255(p00 * f1 + p01 * b1);
  F[k + 2] = clamp255(p00 * f2 + p01 * b2);
  B[k] = clamp255(p01 * f0 + p11 * b0);
  B[k + 1] = clamp255(p01 * f1 + p11 * b1);
  B[k + 2] = clamp255(p01 * f2 + p11 * b2);
}

/**
 * Per pixel of a dense level, what its update needs from alpha alone, set up once for all the level's
 * sweeps (DENSE_COEFFICIENTS doubles): the four neighbour weights d = ε + ω·|α − α_n| (left, right,
 * up, down; the pixel itself at the border) and the inverted 2×2 system (p00, p01, p11). Reused by the
 * next level up to DENSE_MEMORY_MAX_PIXELS (a larger dense level, from options only, gets its own).
 */
const DENSE_COEFFICIENTS = 7;
const DENSE_MEMORY_MAX_PIXELS = 1 << 17;
let denseMemory = new Float64Array(0);

function denseCoefficients(w: number, h: number, alpha: Float32Array, eps: number, omega: number): Float64Array {
  const n = w * h;
  let c = denseMemory;
  if (c.length < n * DENSE_COEFFICIENTS) {
    c = new Float64Array(n * DENSE_COEFFICIENTS);
    if (n <= DENSE_MEMORY_MAX_PIXELS) denseMemory = c;
  }
  for (let y = 0, i = 0, q = 0; y < h; y++)
    for (let x = 0; x < w; x++, i++, q += DENSE_COEFFICIENTS) {
      const a0 = alpha[i];
      const a1 = 1 - a0;
      // In updatePixel's order (so the same floats): the diagonal starts from α² and (1 − α)², then each neighbour's weight.
      let a00 = a0 * a0;
      const a01 = a0 * a1;
      let a11 = a1 * a1;
      const left = eps + omega * Math.abs(a0 - alpha[x > 0 ? i - 1 : i]);
      a00 += left;
      a11 += left;
      const right = eps + omega * Math.abs(a0 - alpha[x < w - 1 ? i + 1 : i]);
      a00 += right;
      a11 += right;
      const up = eps + omega * Math.abs(a0 - alpha[y > 0 ? i - w : i]);
      a00 += up;
      a11 += up;
      const down = eps + omega * Math.abs(a0 - alpha[y < h - 1 ? i + w : i]);
      a00 += down;
      a11 += down;
      const inv = 1 / (a00 * a11 - a01 * a01);
      c[q] = left;
      c[q + 1] = right;
      c[q + 2] = up;
      c[q + 3] = down;
      c[q + 4] = inv * a11;
      c[q + 5] = -inv * a01;
      c[q + 6] = inv * a00;
    }
  return c;
}

/**
 * `iterations` Gauss–Seidel sweeps over every pixel of a level in raster order: updatePixel's
 * arithmetic, in the same order (so the same floats), with what depends on alpha alone set up once
 * (denseCoefficients: ~17 % faster than working it out every sweep) and the four neighbours unrolled;
 * it runs several times faster than a call per pixel on the pyramid's dense levels.
 */
export function sweepDense(
  w: number,
  h: number,
  image: Uint8Array,
  alpha: Float32Array,
  F: Float32Array,
  B: Float32Array,
  eps: number,
  omega: number,
  iterations: number,
): void {
  const c = denseCoefficients(w, h, alpha, eps, omega);
  for (let it = 0; it < iterations; it++)
    for (let y = 0, i = 0, q = 0; y < h; y++)
      for (let x = 0; x < w; x++, i++, q += DENSE_COEFFICIENTS) {
        const a0 = alpha[i];
        const a1 = 1 - a0;
        const k = i * 3;
        const r = image[k];
        const g = image[k + 1];
        const b = image[k + 2];
        let f0 = a0 * r;
        let f1 = a0 * g;
        let f2 = a0 * b;
        let b0 = a1 * r;
        let b1 = a1 * g;
        let b2 = a1 * b;
        // Left, right, up, down (clamped at the border: the pixel itself), as updatePixel takes them.
        let da = c[q];
        let m = (x > 0 ? i - 1 : i) * 3;
        f0 += da * F[m];
        f1 += da * F[m + 1];
        f2 += da * F[m + 2];
        b0 += da * B[m];
        b1 += da * B[m + 1];
        b2 += da * B[m + 2];
        da = c[q + 1];
        m = (x < w - 1 ? i + 1 : i) * 3;
        f0 += da * F[m];
        f1 += da * F[m + 1];
        f2 += da * F[m + 2];
        b0 += da * B[m];
        b1 += da * B[m + 1];
        b2 += da * B[m + 2];
        da = c[q + 2];
        m = (y > 0 ? i - w : i) * 3;
        f0 += da * F[m];
        f1 += da * F[m + 1];
        f2 += da * F[m + 2];
        b0 += da * B[m];
        b1 += da * B[m + 1];
        b2 += da * B[m + 2];
        da = c[q + 3];
        m = (y < h - 1 ? i + w : i) * 3;
        f0 += da * F[m];
        f1 += da * F[m + 1];
        f2 += da * F[m + 2];
        b0 += da * B[m];
        b1 += da * B[m + 1];
        b2 += da * B[m + 2];
        const p00 = c[q + 4];
        const p01 = c[q + 5];
        const p11 = c[q + 6];
        F[k] = clamp255(p00 * f0 + p01 * b0);
        F[k + 1] = clamp255(p00 * f1 + p01 * b1);
        F[k + 2] = clamp255(p00 * f2 + p01 * b2);
        B[k] = clamp255(p01 * f0 + p11 * b0);
        B[k + 1] = clamp255(p01 * f1 + p11 * b1);
        B[k + 2] = clamp255(p01 * f2 + p11 * b2);
      }
}

const clamp255 = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);

const INV255 = 1 / 255;

/** Float alpha (0..1, clamped) as 8 bits, rounded. */
function toBytes(alpha: Float32Array, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = alpha[i];
    out[i] = v < 0 ? 0 : v > 1 ? 255 : Math.round(v * 255);
  }
  return out;
}

/**
 * Estimates F and B of the partly transparent pixels (interleaved RGB floats, 0..255). `rgb` is
 * 8-bit interleaved RGB of width × height; `alpha` one value per pixel (8-bit or 0..1 float).
 * Over `maxBandPixels` nothing is estimated: the band is empty and `skippedBandPixels` says why.
 */
export function estimateForeground(
  rgb: Uint8Array,
  alphaIn: AlphaPlane,
  width: number,
  height: number,
  options: Partial<ForegroundOptions> = {},
): ForegroundEstimate {
  const { band, foreground, background, skippedBandPixels } = estimate(rgb, alphaIn, width, height, options, true, width, height);
  return { band, foreground, background: background ?? new Float32Array(0), ...(skippedBandPixels ? { skippedBandPixels } : {}) };
}

/** The guard's distances in pixels: D1, D2 and D, the farthest distance still re-coloured (weight > 0). */
export interface GuardSpan {
  D1: number;
  D2: number;
  D: number;
}

/** The guard's span for an image of guardWidth × guardHeight (a crop is guarded at its photo's scale). */
function guardSpan(o: ForegroundOptions, guardWidth: number, guardHeight: number): GuardSpan {
  const D1 = guardPixels(o.guardDistance, guardWidth, guardHeight);
  // A fade without end (guardFade Infinity) still fades: D2 is clamped to the distance cap (Uint16, D2 − 1 + 1 ≤ 65535).
  const D2 = Math.max(D1, Math.min(MAX_GUARD_PIXELS, guardPixels(o.guardFade, guardWidth, guardHeight)));
  return { D1, D2, D: D2 > D1 ? D2 - 1 : D1 };
}

/** The pyramid's result so far: F and B of its last level built, pw × ph. */
export interface CoarseLevel {
  F: Float32Array;
  B: Float32Array;
  pw: number;
  ph: number;
}

/** Each alpha byte's class, from the same float tests a pixel would get: 1 swept, 2 faint, 4 not background. */
function alphaClasses(sweepLo: number, opaqueFrom: number, below: number): Uint8Array {
  const classes = new Uint8Array(256);
  for (let v = 0; v < 256; v++) {
    const a = v * INV255;
    classes[v] = (a >= sweepLo && a < opaqueFrom ? 1 : a > 0 && a < sweepLo ? 2 : 0) | (a < below ? 0 : 4);
  }
  return classes;
}

/**
 * One pass over alpha: how many pixels the finest level may sweep (sweepFrom ≤ α < opaqueFrom) and
 * how many are faint (0 < α < sweepFrom); with `dist`, the guard's forward distance pass fused in
 * (capped at `cap`).
 */
function countBand(
  alpha0: Uint8Array,
  width: number,
  height: number,
  sweepLo: number,
  opaqueFrom: number,
  below: number,
  dist?: Uint16Array,
  cap = 0,
): { candidates: number; faintCount: number } {
  const classes = alphaClasses(sweepLo, opaqueFrom, below);
  let candidates = 0;
  let faintCount = 0;
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const c = classes[alpha0[i]];
      candidates += c & 1;
      faintCount += (c >> 1) & 1;
      if (dist === undefined || (c & 4) === 0) continue;
      let v = cap;
      if (y > 0 && dist[i - width] + 1 < v) v = dist[i - width] + 1;
      if (x > 0 && dist[i - 1] + 1 < v) v = dist[i - 1] + 1;
      dist[i] = v;
    }
  }
  return { candidates, faintCount };
}

/** One level of the pyramid as `pyramid` builds it: its size, sweeps, whether it is swept densely, whether it is the finest. */
export interface LevelShape {
  w: number;
  h: number;
  iterations: number;
  dense: boolean;
  last: boolean;
}

/**
 * The levels `pyramid` builds for a width × height image, coarse to fine (level l of n is
 * width^(l/n) × height^(l/n)): those over coarseLimit are skipped, and a finest level that is not
 * dense is left out (windowBand and sweepWindow do it).
 */
export function levelShapes(width: number, height: number, o: ForegroundOptions): LevelShape[] {
  const shapes: LevelShape[] = [];
  const levels = Math.max(0, Math.ceil(Math.log2(Math.max(width, height))));
  for (let l = 0; l <= levels; l++) {
    const last = l === levels;
    const w = last ? width : Math.max(1, Math.round(width ** (l / levels)));
    const h = last ? height : Math.max(1, Math.round(height ** (l / levels)));
    const n = w * h;
    if (!last && n > o.coarseLimit && l > 0) continue;
    const dense = n <= o.denseLimit;
    if (last && !dense) break;
    shapes.push({ w, h, iterations: w <= o.smallSize && h <= o.smallSize ? o.smallIterations : o.bigIterations, dense, last });
  }
  return shapes;
}

/**
 * The pyramid below the finest level (and the finest too when it is dense, n ≤ denseLimit):
 * seeded by level 0's alpha-weighted mean colours, every level not skipped by coarseLimit.
 */
function pyramid(rgb: Uint8Array, alpha0: Uint8Array, width: number, height: number, o: ForegroundOptions): CoarseLevel {
  // Level 0's alpha-weighted mean colours (it only seeds the 1 × 1 level): every 4th pixel of every 4th row.
  const step = width * height > 1 << 16 ? 4 : 1;
  let sf = 0;
  let sb = 0;
  let fr = 0;
  let fg = 0;
  let fb = 0;
  let br = 0;
  let bg = 0;
  let bb = 0;
  for (let y = 0; y < height; y += step)
    for (let x = 0, i = y * width, k = i * 3; x < width; x += step, i += step, k += 3 * step) {
      const a = alpha0[i] * INV255;
      const r = rgb[k];
      const g = rgb[k + 1];
      const b = rgb[k + 2];
      sf += a;
      fr += a * r;
      fg += a * g;
      fb += a * b;
      sb += 1 - a;
      br += (1 - a) * r;
      bg += (1 - a) * g;
      bb += (1 - a) * b;
    }
  // With no foreground (or no background) at all, both start from the other side's mean.
  const meanF = sf > 0 ? [fr / sf, fg / sf, fb / sf] : [br / sb, bg / sb, bb / sb];
  const meanB = sb > 0 ? [br / sb, bg / sb, bb / sb] : meanF;
  let F: Float32Array = Float32Array.from(meanF);
  let B: Float32Array = Float32Array.from(meanB);
  let pw = 1;
  let ph = 1;

  for (const { w, h, iterations, dense, last } of levelShapes(width, height, o)) {
    const n = w * h;
    const level: Level = {
      w,
      h,
      image: last ? rgb : new Uint8Array(n * 3),
      alpha: new Float32Array(n),
      F: new Float32Array(n * 3),
      B: new Float32Array(n * 3),
    };
    const bandCount = buildLevel(rgb, alpha0, width, height, F, B, pw, ph, level, !dense, o.sweepFrom, o.opaqueFrom);
    const { image, alpha } = level;
    F = level.F;
    B = level.B;
    if (dense) {
      sweepDense(w, h, image, alpha, F, B, o.regularization, o.gradientWeight, iterations);
    } else if (bandCount > 0) {
      // The known side is pinned (buildLevel); sweep the band only.
      const band = bandOf(alpha, 1, n, Math.max(o.sweepFrom, Number.MIN_VALUE), o.opaqueFrom, true);
      for (let it = 0; it < iterations; it++)
        for (let b = 0; b < bandCount; b++) {
          const i = band[b];
          const y = (i / w) | 0;
          updatePixel(i - y * w, y, w, h, image, alpha, F, B, o.regularization, o.gradientWeight);
        }
    }
    pw = w;
    ph = h;
  }
  return { F, B, pw, ph };
}

/** A window's finest band before the sweeps: the guard's distances, the swept pixels and the faint ones. */
export interface WindowBand {
  guard?: Guard;
  band: Int32Array;
  faint?: Int32Array;
}

/**
 * The first half of the finest level of a width × height window of rows (the whole image, or rows of
 * it): the guard's distances and the band, which need no coarser level. `pre`: the counts and the
 * guard's forward pass already done over this window.
 */
function windowBand(
  alpha0: Uint8Array,
  width: number,
  height: number,
  o: ForegroundOptions,
  span: GuardSpan,
  pre?: { dist?: Uint16Array; candidates: number; faintCount: number },
): WindowBand {
  const sweepLo = Math.max(o.sweepFrom, Number.MIN_VALUE);
  const { D } = span;
  let counts = pre;
  if (!counts) {
    const dist = D < Infinity ? new Uint16Array(width * height) : undefined;
    counts = { dist, ...countBand(alpha0, width, height, sweepLo, o.opaqueFrom, o.backgroundBelow, dist, D + 1) };
  }
  const { dist, candidates, faintCount } = counts;
  const guard: Guard | undefined = dist && { dist, ...span };
  const { band, faint } = dist
    ? backwardPassBand(dist, alpha0, width, height, sweepLo, o.opaqueFrom, D, candidates, faintCount)
    : { band: bandOf(alpha0, INV255, width * height, sweepLo, o.opaqueFrom, true), faint: undefined };
  return { guard, band, faint };
}

/**
 * The band-only finest level of a width × height window of rows starting at image row `yOffset`
 * (the whole image: 0 and height), from the coarser level `coarse` of the whole image.
 */
function sweepWindow(
  rgb: Uint8Array,
  alpha0: Uint8Array,
  width: number,
  height: number,
  coarse: CoarseLevel,
  o: ForegroundOptions,
  { guard, band, faint }: WindowBand,
  keepBackground: boolean,
  yOffset: number,
  fullHeight: number,
): Estimate {
  const finest = sweepFinestBand(
    rgb,
    alpha0,
    width,
    height,
    coarse.F,
    coarse.B,
    coarse.pw,
    coarse.ph,
    o.finestIterations,
    o.regularization,
    o.gradientWeight,
    o.sweepFrom,
    o.opaqueFrom,
    band,
    faint,
    guard,
    keepBackground,
    yOffset,
    fullHeight,
  );
  return applyFade(finest, rgb, guard);
}

/**
 * The estimate of a width × height image; B only with `keepBackground`. The guard's distances are
 * scaled for an image of guardWidth × guardHeight (the whole photo when this is a crop of it).
 */
function estimate(
  rgb: Uint8Array,
  alphaIn: AlphaPlane,
  width: number,
  height: number,
  options: Partial<ForegroundOptions>,
  keepBackground: boolean,
  guardWidth: number,
  guardHeight: number,
): Estimate {
  const o = { ...FOREGROUND_DEFAULTS, ...options };
  if (!(o.regularization > 0)) throw new Error('regularization (ε) must be > 0');
  const n0 = width * height;
  if (rgb.length < n0 * 3 || alphaIn.length < n0) throw new Error(`image or alpha smaller than ${width}x${height}`);
  // Alpha as 8 bits (float alpha is rounded to 1/255: far below what the estimate resolves).
  const alpha0 = alphaIn instanceof Float32Array ? toBytes(alphaIn, n0) : alphaIn;
  const span = guardSpan(o, guardWidth, guardHeight);
  const dist = span.D < Infinity ? new Uint16Array(n0) : undefined;
  const sweepLo = Math.max(o.sweepFrom, Number.MIN_VALUE);
  // One pass: the guard's forward distance pass and how many pixels may be swept on the finest level.
  const { candidates, faintCount } = countBand(alpha0, width, height, sweepLo, o.opaqueFrom, o.backgroundBelow, dist, span.D + 1);
  // The cap (see MAX_BAND_PIXELS): every pixel the finest level would store, swept or faint.
  if (!bandWithinBudget(candidates + faintCount, o.maxBandPixels))
    return { band: new Int32Array(0), foreground: new Float32Array(0), skippedBandPixels: candidates + faintCount };
  const coarse = pyramid(rgb, alpha0, width, height, o);
  if (n0 > o.denseLimit) {
    const band = windowBand(alpha0, width, height, o, span, { dist, candidates, faintCount });
    return sweepWindow(rgb, alpha0, width, height, coarse, o, band, keepBackground, 0, height);
  }
  // A dense finest level (small images): keep the band's values (within the guard's distance).
  const guard: Guard | undefined = dist && { dist, ...span };
  if (dist) backwardPass(dist, width, height);
  const { F, B } = coarse;
  const band = bandOf(alpha0, INV255, n0, 0, 1, false, guard);
  const foreground = new Float32Array(band.length * 3);
  const background = keepBackground ? new Float32Array(band.length * 3) : undefined;
  for (let b = 0; b < band.length; b++)
    for (let c = 0; c < 3; c++) {
      foreground[b * 3 + c] = F[band[b] * 3 + c];
      if (background) background[b * 3 + c] = B[band[b] * 3 + c];
    }
  return applyFade({ band, foreground, background }, rgb, guard);
}

/** A rectangle of the image (the crop of a cut-out). */
export interface PixelBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The cut-out's colours inside a box: box-sized interleaved RGB; `skippedBandPixels` when over the cap. */
export interface DecontaminatedBox {
  rgb: Uint8Array;
  skippedBandPixels?: number;
  /** `rgb` is memory of the buffer pool (buffer-pool.ts): the caller may release it once read. */
  pooled?: boolean;
}

/**
 * The cut-out's colours: a copy of `rgb` where every partly transparent pixel (0 < α < 1) has
 * its estimated foreground colour (rounded, 0..255); opaque and transparent pixels are copied.
 */
export function decontaminate(
  rgb: Uint8Array,
  alpha: AlphaPlane,
  width: number,
  height: number,
  options: Partial<ForegroundOptions> = {},
): Buffer {
  const { rgb: out } = decontaminateBox(rgb, alpha, width, height, { left: 0, top: 0, width, height }, options);
  return out instanceof Buffer && out !== rgb ? out : Buffer.from(out);
}

/**
 * decontaminate restricted to `box` (a crop): only the box's pixels are estimated and returned
 * (box.width × box.height RGB), so a cropped cut-out pays for its crop only. The guard's distances
 * are those of the whole image's size; pixels outside the box do not take part (a background pixel
 * just outside it does not count for the guard, a small difference at the box's border). Over
 * maxBandPixels nothing is estimated: the photo's colours are returned (the whole-image input
 * itself, uncopied: read it only) with skippedBandPixels.
 */
export function decontaminateBox(
  rgb: Uint8Array,
  alpha: AlphaPlane,
  width: number,
  height: number,
  box: PixelBox,
  options: Partial<ForegroundOptions> = {},
): DecontaminatedBox {
  const crop = cropOf(rgb, alpha, width, height, box);
  return decontaminateCrop(crop.rgb, crop.alpha, box.width, box.height, width, height, options);
}

/**
 * decontaminateBox of a crop already cut out (cropOf): `rgb` and `alpha` are width × height, the
 * guard is scaled for the photo's guardWidth × guardHeight.
 */
export function decontaminateCrop(
  srcRgb: Uint8Array,
  srcAlpha: AlphaPlane,
  width: number,
  height: number,
  guardWidth: number,
  guardHeight: number,
  options: Partial<ForegroundOptions> = {},
): DecontaminatedBox {
  const { band, foreground, skippedBandPixels } = estimate(srcRgb, srcAlpha, width, height, options, false, guardWidth, guardHeight);
  if (skippedBandPixels) return { rgb: srcRgb, skippedBandPixels };
  // Not zero-filled: every byte is copied from the photo.
  const out = largeBuffers.acquire(width * height * 3);
  out.set(srcRgb.subarray(0, width * height * 3));
  for (let b = 0; b < band.length; b++) {
    const k = band[b] * 3;
    // 0..255 floats: + 0.5 then the typed array's truncation rounds.
    out[k] = foreground[b * 3] + 0.5;
    out[k + 1] = foreground[b * 3 + 1] + 0.5;
    out[k + 2] = foreground[b * 3 + 2] + 0.5;
  }
  return { rgb: out, pooled: true };
}

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
 * One pass over every step-th row: its swept candidates (counted `step` times) and faint pixels, and
 * per row the candidates within the guard's reach of the background as `grid` sees them (all of them without a grid).
 */
function sampleRows(
  alpha0: Uint8Array,
  width: number,
  height: number,
  step: number,
  classes: Uint8Array,
  grid?: GuardGrid,
): { candidates: number; stored: number; guarded: Int32Array } {
  const guarded = new Int32Array(height);
  let candidates = 0;
  let stored = 0;
  for (let y = 0; y < height; y += step) {
    let c = 0;
    let f = 0;
    let g = 0;
    const gridRow = grid ? (y >> grid.shift) * grid.gw : 0;
    for (let x = 0, i = y * width; x < width; x++, i++) {
      const k = classes[alpha0[i]];
      if (k & 1) {
        c++;
        if (!grid || grid.d[gridRow + (x >> grid.shift)] <= grid.reach) g++;
      } else f += (k >> 1) & 1;
    }
    guarded[y] = g;
    candidates += c * step;
    stored += (c + f) * step;
  }
  return { candidates, stored, guarded };
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
  if (!(o.regularization > 0) || n0 <= o.denseLimit || height < 2) return undefined;
  if (rgb.length < n0 * 3 || alphaIn.length < n0) throw new Error(`image or alpha smaller than ${width}x${height}`);
  const alpha0 = alphaIn instanceof Float32Array ? toBytes(alphaIn, n0) : alphaIn;
  const span = guardSpan(o, guardWidth, guardHeight);
  const sweepLo = Math.max(o.sweepFrom, Number.MIN_VALUE);
  const step = height >= 64 ? 8 : 1;
  // The seams weigh every step-th row by the band the guard will leave there (estimated on a grid of every step-th pixel).
  const shift = Math.log2(step);
  const grid = span.D < Infinity ? guardGrid(alpha0, width, height, o.backgroundBelow, shift, span.D) : undefined;
  const { candidates, stored, guarded } = sampleRows(alpha0, width, height, step, alphaClasses(sweepLo, o.opaqueFrom, 0), grid);
  const rowCosts = new Float64Array(height);
  for (let y = 0; y < height; y += step) rowCosts[y] = step * (costs.outPixelNs * width + costs.bandPixelNs * guarded[y]);
  // The cap is decided exactly near it (sampling errs by a few rows' worth).
  if (stored > o.maxBandPixels / 2) {
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

/** The crop of `box` from the image (the image itself when the box is all of it). */
export function cropOf(
  rgb: Uint8Array,
  alpha: AlphaPlane,
  width: number,
  height: number,
  box: PixelBox,
): { rgb: Uint8Array; alpha: AlphaPlane } {
  if (box.left < 0 || box.top < 0 || box.width < 1 || box.height < 1 || box.left + box.width > width || box.top + box.height > height)
    throw new RangeError(`box ${box.width}x${box.height}+${box.left}+${box.top} is not inside ${width}x${height}`);
  if (box.left === 0 && box.top === 0 && box.width === width && box.height === height) return { rgb, alpha };
  const srcRgb = new Uint8Array(box.width * box.height * 3);
  const srcAlpha = alpha instanceof Float32Array ? new Float32Array(box.width * box.height) : new Uint8Array(box.width * box.height);
  for (let y = 0; y < box.height; y++) {
    const from = (box.top + y) * width + box.left;
    srcRgb.set(rgb.subarray(from * 3, (from + box.width) * 3), y * box.width * 3);
    srcAlpha.set(alpha.subarray(from, from + box.width), y * box.width);
  }
  return { rgb: srcRgb, alpha: srcAlpha };
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
