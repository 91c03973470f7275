/**
 * Which pixels colour decontamination sweeps (foreground-estimation.ts has the method): the band of
 * partly transparent pixels on the finest level, and the guard that keeps the new colours near the
 * background. The guard is a city-block distance to the nearest background pixel (α < backgroundBelow),
 * two raster passes over a Uint16Array (Rosenfeld & Pfaltz) fused with counting and listing the band;
 * band pixels within D1 get the new colour in full, from D1 to D2 it fades into the photo's, and
 * farther ones keep the photo's colour and are not swept.
 */

import type { AlphaPlane, ForegroundOptions } from './foreground-estimation';
import { wordsOf } from './word-view';

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
export function backwardPass(d: Uint16Array, width: number, height: number): void {
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
 * `count` and `faintCount` bound their numbers (the forward pass's counts). Most of a mask is
 * transparent or opaque (wordsOf: a word of 0 is four transparent pixels, 0xffffffff four opaque): four transparent background pixels are skipped at once, and
 * four opaque ones only take their distances, unlisted (unless hi > 1).
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
  const words = wordsOf(alpha);
  const opaqueListed = 255 * INV255 < hi;
  let b = count;
  let f = faintCount;
  for (let y = height - 1, i = width * height - 1; y >= 0; y--) {
    const start = i - width + 1;
    let right = 0xffff; // the distance to the right (none at the row's end: never below m)
    const hasDown = y < height - 1;
    while (i >= start) {
      // Whole words: i + 1 a multiple of 4, all four pixels in this row.
      if (words !== undefined && ((i + 1) & 3) === 0 && i - 3 >= start) {
        const w = words[(i - 3) >> 2];
        // Four transparent background pixels (distance 0; α = 0 is background for all four or for
        // none): nothing to update or list (α > 0 fails).
        if (w === 0 && d[i] === 0) {
          right = 0;
          i -= 4;
          continue;
        }
        // Four opaque pixels, not listed (α < hi fails): their distances only.
        if (w === 0xffffffff && !opaqueListed) {
          for (const end = i - 4; i > end; i--) right = backwardDistance(d, i, width, hasDown, right);
          continue;
        }
      }
      const m = backwardDistance(d, i, width, hasDown, right);
      right = m;
      const a = alpha[i] * INV255;
      if (m <= D && a > 0 && a < hi) {
        if (a >= lo) band[--b] = i;
        else faint[--f] = i;
      }
      i--;
    }
  }
  return { band: band.subarray(b), faint: faint.subarray(f) };
}

/**
 * The backward pass at pixel i: its distance becomes the least of its own and one more than the
 * pixel's below and to its right (`right`, already updated; none: 0xffff); returned.
 */
function backwardDistance(d: Uint16Array, i: number, width: number, hasDown: boolean, right: number): number {
  let m = d[i];
  if (m !== 0) {
    if (hasDown && d[i + width] + 1 < m) m = d[i + width] + 1;
    if (right + 1 < m) m = right + 1;
    d[i] = m;
  }
  return m;
}

/**
 * The forward pass at a pixel that is not background: its distance becomes the least of `cap` and
 * one more than the pixel's above and to its left (`left`, just set; none: `cap`); returned.
 */
function forwardDistance(dist: Uint16Array, i: number, width: number, hasUp: boolean, left: number, cap: number): number {
  let v = cap;
  if (hasUp && dist[i - width] + 1 < v) v = dist[i - width] + 1;
  if (left + 1 < v) v = left + 1;
  dist[i] = v;
  return v;
}

/** The guard: the distance to background and D (pixels farther than D keep I; D = D2 − 1, or D1 with no fade). */
export interface Guard {
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

/**
 * Indices of the pixels with lo < α < hi (lo exclusive) or lo ≤ α < hi (`fromLo`), in raster order;
 * α is alpha[i] · scale (floats: 1, 8-bit: 1/255).
 */
export function bandOf(alpha: AlphaPlane, scale: number, n: number, lo = 0, hi = 1, fromLo = false, guard?: Guard): Int32Array {
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

export const INV255 = 1 / 255;

/** Float alpha (0..1, clamped) as 8 bits, rounded. */
export function toBytes(alpha: Float32Array, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = alpha[i];
    out[i] = v < 0 ? 0 : v > 1 ? 255 : Math.round(v * 255);
  }
  return out;
}

/** The guard's distances in pixels: D1, D2 and D, the farthest distance still re-coloured (weight > 0). */
export interface GuardSpan {
  D1: number;
  D2: number;
  D: number;
}

/** The guard's span for an image of guardWidth × guardHeight (a crop is guarded at its photo's scale). */
export function guardSpan(o: ForegroundOptions, guardWidth: number, guardHeight: number): GuardSpan {
  const D1 = guardPixels(o.guardDistance, guardWidth, guardHeight);
  // A fade without end (guardFade Infinity) still fades: D2 is clamped to the distance cap (Uint16, D2 − 1 + 1 ≤ 65535).
  const D2 = Math.max(D1, Math.min(MAX_GUARD_PIXELS, guardPixels(o.guardFade, guardWidth, guardHeight)));
  return { D1, D2, D: D2 > D1 ? D2 - 1 : D1 };
}

/** Each alpha byte's class, from the same float tests a pixel would get: 1 swept, 2 faint, 4 not background. */
export function alphaClasses(sweepLo: number, opaqueFrom: number, below: number): Uint8Array {
  const classes = new Uint8Array(256);
  for (let v = 0; v < 256; v++) {
    const a = v * INV255;
    classes[v] = (a >= sweepLo && a < opaqueFrom ? 1 : a > 0 && a < sweepLo ? 2 : 0) | (a < below ? 0 : 4);
  }
  return classes;
}

/**
 * One pass over alpha: how many pixels the finest level may sweep (sweepFrom ≤ α < opaqueFrom) and
 * how many are faint (0 < α < sweepFrom); with `dist` (zero-filled: a fresh array), the guard's
 * forward distance pass fused in (capped at `cap`). Words of four transparent or four opaque pixels
 * (most of a mask: wordsOf) are counted at once, and four background pixels keep their 0.
 */
export function countBand(
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
  const words = wordsOf(alpha0);
  const zero = classes[0];
  const full = classes[255];
  let candidates = 0;
  let faintCount = 0;
  for (let y = 0, i = 0; y < height; y++) {
    const end = i + width;
    let left = cap; // the distance to the left (none at the row's start: never below v)
    const hasUp = y > 0;
    while (i < end) {
      // Whole words: i a multiple of 4, all four pixels in this row.
      if (words !== undefined && (i & 3) === 0 && i + 4 <= end) {
        const w = words[i >> 2];
        const c = w === 0 ? zero : w === 0xffffffff ? full : -1;
        if (c >= 0) {
          candidates += (c & 1) << 2;
          faintCount += ((c >> 1) & 1) << 2;
          if (dist === undefined || (c & 4) === 0) {
            // Uncounted distances, or four background pixels (their 0 is already there).
            left = 0;
            i += 4;
            continue;
          }
          for (const stop = i + 4; i < stop; i++) left = forwardDistance(dist, i, width, hasUp, left, cap);
          continue;
        }
      }
      const c = classes[alpha0[i]];
      candidates += c & 1;
      faintCount += (c >> 1) & 1;
      if (dist !== undefined) {
        left = (c & 4) === 0 ? 0 : forwardDistance(dist, i, width, hasUp, left, cap);
      }
      i++;
    }
  }
  return { candidates, faintCount };
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
export function windowBand(
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
