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
 * channels. Written here in typed arrays (Gauss–Seidel sweeps in place, no allocation per pixel),
 * over-relaxed (`relaxation`: with it, half the paper's sweeps on the coarse levels gave the same
 * measured colour error; see FOREGROUND_DEFAULTS).
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
 *
 * Where the code is: this file has the options, the pyramid and the public functions;
 * foreground-band.ts the guard and the band (which pixels are swept); foreground-sweeps.ts the
 * sweeps; decontamination-split.ts the windows of rows that imaging-workers.ts runs on its threads.
 */

import { largeBuffers } from './buffer-pool';
import { backwardPass, bandOf, countBand, guardSpan, INV255, toBytes, windowBand, type Guard, type WindowBand } from './foreground-band';
import { applyFade, buildLevel, sweepDense, sweepFinestBand, updatePixel, type Estimate, type Level } from './foreground-sweeps';

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
   * Over-relaxation of every sweep (SOR; foreground-sweeps.ts `relaxed`): each update moves this
   * many times the Gauss–Seidel step; 1 is plain Gauss–Seidel, the paper's. Between 0 and 2.
   */
  relaxation: number;
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
 * Over-relaxed sweeps (`--tune-speed` on `tune`, 2026-12-01; α-weighted error (plain), damage ‰ and
 * pixels): 8 plain coarse sweeps gave 0.0237 (0.0673), 1.59 (13,065 px); 4 plain ones 0.0243, 1.50;
 * relaxation 1.3 on 4 coarse and the 3 finest sweeps 0.0236 (0.0669), 1.59 (12,973 px): no worse on
 * either count with half the coarse levels' sweeps (1.4: 0.0235 but 1.62; 1.3 with 3 coarse sweeps
 * 0.0238; 2 finest sweeps 0.0246).
 */
export const FOREGROUND_DEFAULTS: ForegroundOptions = {
  regularization: 1e-5,
  gradientWeight: 0.03,
  smallIterations: 10,
  bigIterations: 4,
  finestIterations: 3,
  relaxation: 1.3,
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

/** Alpha as 8-bit (0..255) or float (0..1), one value per pixel. */
export type AlphaPlane = Uint8Array | Float32Array;

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

/** The pyramid's result so far: F and B of its last level built, pw × ph. */
export interface CoarseLevel {
  F: Float32Array;
  B: Float32Array;
  pw: number;
  ph: number;
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
export function pyramid(rgb: Uint8Array, alpha0: Uint8Array, width: number, height: number, o: ForegroundOptions): CoarseLevel {
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
      sweepDense(w, h, image, alpha, F, B, o.regularization, o.gradientWeight, iterations, o.relaxation);
    } else if (bandCount > 0) {
      // The known side is pinned (buildLevel); sweep the band only.
      const band = bandOf(alpha, 1, n, Math.max(o.sweepFrom, Number.MIN_VALUE), o.opaqueFrom, true);
      for (let it = 0; it < iterations; it++)
        for (let b = 0; b < bandCount; b++) {
          const i = band[b];
          const y = (i / w) | 0;
          updatePixel(i - y * w, y, w, h, image, alpha, F, B, o.regularization, o.gradientWeight, o.relaxation);
        }
    }
    pw = w;
    ph = h;
  }
  return { F, B, pw, ph };
}

/**
 * The band-only finest level of a width × height window of rows starting at image row `yOffset`
 * (the whole image: 0 and height), from the coarser level `coarse` of the whole image.
 */
export function sweepWindow(
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
    o.relaxation,
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

/** The solver's own limits: ε > 0 keeps every 2×2 system invertible, relaxation in (0, 2) keeps the sweeps converging. */
export function checkSolverOptions(o: ForegroundOptions): void {
  if (!(o.regularization > 0)) throw new RangeError(`regularization (ε) must be > 0; got ${o.regularization}`);
  if (!(o.relaxation > 0 && o.relaxation < 2)) throw new RangeError(`relaxation must be between 0 and 2; got ${o.relaxation}`);
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
  checkSolverOptions(o);
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
