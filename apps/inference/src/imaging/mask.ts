import type { ModelManifest } from '../models/model-manifest';
import { wordsOf } from './word-view';

/** Model output (one S x S plane of floats) to 8-bit alpha at the model's size. */
export function outputToAlpha(output: Float32Array, activation: ModelManifest['output']['activation']): Uint8Array {
  const n = output.length;
  const alpha = new Uint8Array(n);
  let lo = 0;
  let scale = 255;
  if (activation === 'minmax') {
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = output[i];
      if (v < min) min = v;
      if (v > max) max = v;
    }
    lo = min;
    scale = max > min ? 255 / (max - min) : 0;
  }
  for (let i = 0; i < n; i++) {
    let v = output[i];
    if (activation === 'sigmoid') v = 1 / (1 + Math.exp(-v));
    const a = (v - lo) * scale;
    alpha[i] = a <= 0 ? 0 : a >= 255 ? 255 : a + 0.5; // Uint8Array truncates: +0.5 rounds
  }
  return alpha;
}

/** Bilinear taps along one axis: for each output index, the two source indices and the weight of the second. */
interface Taps {
  lo: Int32Array;
  hi: Int32Array;
  frac: Float64Array;
}

/** Taps with pixel centres aligned: source = (i + 0.5) · size / outSize − 0.5, clamped at the borders. */
function centredTaps(size: number, outSize: number): Taps {
  const taps = { lo: new Int32Array(outSize), hi: new Int32Array(outSize), frac: new Float64Array(outSize) };
  const scale = size / outSize;
  for (let i = 0; i < outSize; i++) {
    const f = Math.max(0, (i + 0.5) * scale - 0.5);
    const lo = Math.min(Math.floor(f), size - 1);
    taps.lo[i] = lo;
    taps.hi[i] = Math.min(lo + 1, size - 1);
    taps.frac[i] = f - lo;
  }
  return taps;
}

/** Taps in ONNX Resize's 'asymmetric' coordinates: source = i · size / outSize, the far edge clamped. */
function asymmetricTaps(size: number, outSize: number): Taps {
  const taps = { lo: new Int32Array(outSize), hi: new Int32Array(outSize), frac: new Float64Array(outSize) };
  const scale = size / outSize;
  for (let i = 0; i < outSize; i++) {
    const f = i * scale;
    const lo = Math.floor(f);
    taps.lo[i] = lo;
    taps.hi[i] = Math.min(Math.ceil(f), size - 1);
    taps.frac[i] = f - lo;
  }
  return taps;
}

/**
 * Output pixels per block of a row for the constant-run shortcut: a block whose source pixels in a
 * row are all 0 or all 255 takes that value without interpolating, and a block whose two source rows
 * both do so is filled (most of a mask is background or subject: a 2 MP upscale ~2.5× faster).
 */
const RUN_BLOCK = 32;

/**
 * One source row (starting at `r`) interpolated across to the output width, and per block of
 * RUN_BLOCK output pixels, into `runs`: the value (0 or 255) of a block whose source pixels are all
 * that value (its interpolated values are that value exactly), else −1. A module function, not a
 * closure made per resize: a new closure each call made V8 throw away resizeByTaps' optimised code
 * ("wrong call target") and run much of the next resize unoptimised, boxing its doubles (~6 MB of
 * short-lived heap per 2 MP request, and the slower code).
 */
function across(alpha: Uint8Array, r: number, { lo: left, hi: right, frac }: Taps, into: Float64Array, runs: Int16Array): void {
  const n = into.length;
  for (let block = 0, x0 = 0; x0 < n; block++, x0 += RUN_BLOCK) {
    const x1 = Math.min(n, x0 + RUN_BLOCK);
    // The block's source pixels: from its first pixel's left tap to its last one's right tap.
    const first = r + left[x0];
    const last = r + right[x1 - 1];
    const v = alpha[first];
    let run = v === 0 || v === 255 ? v : -1;
    for (let s = first + 1; run >= 0 && s <= last; s++) if (alpha[s] !== v) run = -1;
    runs[block] = run;
    if (run >= 0) {
      into.fill(run, x0, x1);
      continue;
    }
    for (let x = x0; x < x1; x++) {
      const p = alpha[r + left[x]];
      into[x] = p + (alpha[r + right[x]] - p) * frac[x];
    }
  }
}

/**
 * Bilinear resize of a single-channel plane by the given taps, output rows y0 .. y1 − 1 into `out`
 * (its row 0 is output row y0): each source row is interpolated across once (into a two-row cache:
 * the pair the current output row lies between), then the rows are blended and rounded; a block of
 * pixels whose two rows are the same constant run (across) is filled with it, which the blend would
 * give too. Every value is the per-pixel formula's, in the same order, so a band equals those rows of
 * the whole resize.
 */
function resizeByTaps(
  alpha: Uint8Array,
  width: number,
  cols: Taps,
  rows: Taps,
  y0 = 0,
  y1 = rows.lo.length,
  out: Uint8Array = new Uint8Array(cols.lo.length * (y1 - y0)),
): Uint8Array {
  const toWidth = cols.lo.length;
  const blocks = Math.ceil(toWidth / RUN_BLOCK);
  let upper = new Float64Array(toWidth);
  let lower = new Float64Array(toWidth);
  let upperRuns = new Int16Array(blocks);
  let lowerRuns = new Int16Array(blocks);
  let upperRow = -1;
  let lowerRow = -1;
  for (let y = y0; y < y1; y++) {
    const r1 = rows.lo[y];
    const r2 = rows.hi[y];
    const dy = rows.frac[y];
    if (upperRow !== r1) {
      if (lowerRow === r1) {
        [upper, lower] = [lower, upper];
        [upperRuns, lowerRuns] = [lowerRuns, upperRuns];
        lowerRow = -1;
      } else across(alpha, r1 * width, cols, upper, upperRuns);
      upperRow = r1;
    }
    if (lowerRow !== r2) {
      across(alpha, r2 * width, cols, lower, lowerRuns);
      lowerRow = r2;
    }
    const row = (y - y0) * toWidth;
    for (let block = 0, x0 = 0; x0 < toWidth; block++, x0 += RUN_BLOCK) {
      const x1 = Math.min(toWidth, x0 + RUN_BLOCK);
      const run = upperRuns[block];
      if (run >= 0 && run === lowerRuns[block]) {
        out.fill(run, row + x0, row + x1);
        continue;
      }
      for (let x = x0, o = row + x0; x < x1; x++, o++) {
        const top = upper[x];
        out[o] = top + (lower[x] - top) * dy + 0.5; // Uint8Array truncates: +0.5 rounds (values stay in 0..255)
      }
    }
  }
  return out;
}

/** Where a resized pixel samples its source: pixel centres aligned, or ONNX Resize's 'asymmetric' coordinates. */
export type MaskCoordinates = 'centred' | 'asymmetric';

const tapsOf = (coordinates: MaskCoordinates) => (coordinates === 'centred' ? centredTaps : asymmetricTaps);

/**
 * Output rows y0 .. y1 − 1 of a mask's bilinear resize (resizeMask or resizeMaskAsymmetric), into
 * `out` (row 0 = output row y0): the same bytes as those rows of the whole resize.
 */
export function resizeMaskRows(
  alpha: Uint8Array,
  width: number,
  height: number,
  toWidth: number,
  toHeight: number,
  coordinates: MaskCoordinates,
  y0: number,
  y1: number,
  out?: Uint8Array,
): Uint8Array {
  const taps = tapsOf(coordinates);
  return resizeByTaps(alpha, width, taps(width, toWidth), taps(height, toHeight), y0, y1, out);
}

/**
 * Resizes a single-channel mask with bilinear interpolation (smooth edges, no ringing), pixel
 * centres aligned, in typed arrays (the sharp-kernel configurations' upscale). It replaced sharp's
 * linear resize, which took twice the time and shifted the mask by half an output pixel (a
 * mirrored mask did not upscale to the mirrored result).
 */
export function resizeMask(alpha: Uint8Array, width: number, height: number, toWidth: number, toHeight: number): Uint8Array {
  if (width === toWidth && height === toHeight) return alpha;
  return resizeMaskRows(alpha, width, height, toWidth, toHeight, 'centred', 0, toHeight);
}

/** Bilinear resize in ONNX Resize's 'asymmetric' coordinates (the default upscale): the inverse of planarFromRgbBilinear's sampling. */
export function resizeMaskAsymmetric(alpha: Uint8Array, width: number, height: number, toWidth: number, toHeight: number): Uint8Array {
  if (width === toWidth && height === toHeight) return alpha;
  return resizeMaskRows(alpha, width, height, toWidth, toHeight, 'asymmetric', 0, toHeight);
}

export function meanAlpha(alpha: Uint8Array): number {
  const n = alpha.length;
  if (n === 0) return 0;
  let sum = 0;
  let i = 0;
  const words = wordsOf(alpha);
  if (words) {
    // Four bytes a word, summed as two 16-bit lanes (bytes 0 + 1 and 2 + 3) that cannot carry into
    // each other within 128 words (128 · 2 · 255 < 2^16): a quarter of the byte loop's time (5 MP: 7.7 → 1.7 ms).
    for (let w = 0; w < words.length;) {
      const end = Math.min(words.length, w + 128);
      let lanes = 0;
      for (; w < end; w++) {
        const v = words[w];
        lanes += (v & 0x00ff00ff) + ((v >>> 8) & 0x00ff00ff);
      }
      sum += (lanes & 0xffff) + (lanes >>> 16);
    }
    i = words.length << 2;
  }
  for (; i < n; i++) sum += alpha[i];
  return sum / n / 255;
}

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Bounding box of alpha >= threshold, grown by a margin and clipped; undefined when the mask is empty. */
export function subjectBox(
  alpha: Uint8Array,
  width: number,
  height: number,
  margin: { value: number; unit: 'px' | '%' },
  threshold = 16,
): Box | undefined {
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (alpha[row + x] >= threshold) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        maxY = y;
      }
    }
  }
  if (maxX < 0) return undefined;
  const pad = Math.round(margin.unit === '%' ? (Math.max(maxX - minX + 1, maxY - minY + 1) * margin.value) / 100 : margin.value);
  const left = Math.max(0, minX - pad);
  const top = Math.max(0, minY - pad);
  const right = Math.min(width - 1, maxX + pad);
  const bottom = Math.min(height - 1, maxY + pad);
  return { left, top, width: right - left + 1, height: bottom - top + 1 };
}
