/**
 * The solver of colour decontamination (foreground-estimation.ts has the method): Gauss–Seidel sweeps
 * of the per-pixel 2×2 systems for F and B, over every pixel of a small (dense) pyramid level
 * (updatePixel, sweepDense) or over the band of the finest level only, stored compactly
 * (sweepFinestBand); each level built from the one below (buildLevel); the guard's fade applied to the
 * finest level's result (applyFade).
 */

import { bandOf, INV255, type Guard } from './foreground-band';

/** What the estimate builds: decontaminate needs no background. */
export interface Estimate {
  band: Int32Array;
  foreground: Float32Array;
  background?: Float32Array;
  skippedBandPixels?: number;
}

/** Blends the estimated F of the band pixels between D1 and D2 with the photo's colour, in place. */
export function applyFade(estimate: Estimate, rgb: Uint8Array, guard: Guard | undefined): Estimate {
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
export function sweepFinestBand(
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
  relaxation: number,
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
      solveInto(Fc, Bc, k, f0, f1, f2, b0, b1, b2, p00, p01, p11, relaxation);
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
export function buildLevel(
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

export interface Level {
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
  relaxation: number,
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
  solveInto(F, B, k, f0, f1, f2, b0, b1, b2, p00, p01, p11, relaxation);
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
  relaxation: number,
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
        solveInto(F, B, k, f0, f1, f2, b0, b1, b2, p00, p01, p11, relaxation);
      }
}

const clamp255 = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);

/**
 * A Gauss–Seidel update over-relaxed (successive over-relaxation, SOR: Young, "Iterative methods for
 * solving partial difference equations of elliptic type", 1950): the value moves `relaxation` times
 * the step from `old` to `solved` (1: plain Gauss–Seidel; between 1 and 2: further along the same
 * step, which nears the systems' solution faster, sweep for sweep), kept within 0..255.
 */
const relaxed = (old: number, solved: number, relaxation: number) => clamp255(old + relaxation * (solved - old));

/**
 * One pixel's update written at `k` (its three channels): F = p00·f + p01·b and B = p01·f + p11·b
 * (the inverted 2×2 system times the right-hand side), each over-relaxed from its old value.
 */
function solveInto(
  F: Float32Array,
  B: Float32Array,
  k: number,
  f0: number,
  f1: number,
  f2: number,
  b0: number,
  b1: number,
  b2: number,
  p00: number,
  p01: number,
  p11: number,
  relaxation: number,
): void {
  F[k] = relaxed(F[k], p00 * f0 + p01 * b0, relaxation);
  F[k + 1] = relaxed(F[k + 1], p00 * f1 + p01 * b1, relaxation);
  F[k + 2] = relaxed(F[k + 2], p00 * f2 + p01 * b2, relaxation);
  B[k] = relaxed(B[k], p01 * f0 + p11 * b0, relaxation);
  B[k + 1] = relaxed(B[k + 1], p01 * f1 + p11 * b1, relaxation);
  B[k + 2] = relaxed(B[k + 2], p01 * f2 + p11 * b2, relaxation);
}
