import type { ModelManifest } from '../models/model-manifest';

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

/**
 * Resizes a single-channel mask with bilinear interpolation (smooth edges, no ringing), pixel
 * centres aligned (source x = (x + 0.5) · w / W − 0.5, clamped at the borders), in typed arrays:
 * each source row is interpolated across once into a row cache, then rows are blended. It
 * replaced sharp's linear resize, which costs twice the time and shifts the mask by half an
 * output pixel (a mirrored mask did not upscale to the mirrored result).
 */
export function resizeMask(alpha: Uint8Array, width: number, height: number, toWidth: number, toHeight: number): Uint8Array {
  if (width === toWidth && height === toHeight) return alpha;
  const out = new Uint8Array(toWidth * toHeight);
  const x0 = new Int32Array(toWidth);
  const x1 = new Int32Array(toWidth);
  const fx = new Float32Array(toWidth);
  const sx = width / toWidth;
  for (let x = 0; x < toWidth; x++) {
    const f = Math.max(0, (x + 0.5) * sx - 0.5);
    const i = Math.min(Math.floor(f), width - 1);
    x0[x] = i;
    x1[x] = Math.min(i + 1, width - 1);
    fx[x] = f - i;
  }
  // Two source rows interpolated across (the pair the current output row lies between).
  let upper = new Float32Array(toWidth);
  let lower = new Float32Array(toWidth);
  let upperRow = -1;
  let lowerRow = -1;
  const across = (row: number, into: Float32Array) => {
    const base = row * width;
    for (let x = 0; x < toWidth; x++) {
      const a = alpha[base + x0[x]];
      into[x] = a + (alpha[base + x1[x]] - a) * fx[x];
    }
  };
  const sy = height / toHeight;
  for (let y = 0; y < toHeight; y++) {
    const f = Math.max(0, (y + 0.5) * sy - 0.5);
    const j = Math.min(Math.floor(f), height - 1);
    const j1 = Math.min(j + 1, height - 1);
    const fy = f - j;
    if (upperRow !== j) {
      if (lowerRow === j) {
        [upper, lower] = [lower, upper];
        lowerRow = -1;
      } else across(j, upper);
      upperRow = j;
    }
    if (lowerRow !== j1) {
      across(j1, lower);
      lowerRow = j1;
    }
    const o = y * toWidth;
    for (let x = 0; x < toWidth; x++) {
      const t = upper[x];
      out[o + x] = t + (lower[x] - t) * fy + 0.5; // Uint8Array truncates: +0.5 rounds (values stay in 0..255)
    }
  }
  return out;
}

/** Bilinear resize in ONNX Resize's 'asymmetric' coordinates: the inverse of planarFromRgbBilinear's sampling. */
export function resizeMaskAsymmetric(alpha: Uint8Array, width: number, height: number, toWidth: number, toHeight: number): Uint8Array {
  if (width === toWidth && height === toHeight) return alpha;
  const out = new Uint8Array(toWidth * toHeight);
  const sx = width / toWidth;
  const sy = height / toHeight;
  // Column taps and weights are the same on every row: computed once (same arithmetic as per pixel).
  const left = new Int32Array(toWidth);
  const right = new Int32Array(toWidth);
  const fracX = new Float64Array(toWidth);
  for (let x = 0; x < toWidth; x++) {
    const fx = x * sx;
    const x1 = Math.floor(fx);
    left[x] = x1;
    right[x] = Math.min(Math.ceil(fx), width - 1);
    fracX[x] = fx - x1;
  }
  // Each source row interpolated across once (the same expression per pixel, so the same values), kept for the next output row.
  let upper = new Float64Array(toWidth);
  let lower = new Float64Array(toWidth);
  let upperRow = -1;
  let lowerRow = -1;
  const across = (row: number, into: Float64Array) => {
    const r = row * width;
    for (let x = 0; x < toWidth; x++) {
      const p = alpha[r + left[x]];
      into[x] = p + (alpha[r + right[x]] - p) * fracX[x];
    }
  };
  for (let y = 0; y < toHeight; y++) {
    const fy = y * sy;
    const y1 = Math.floor(fy);
    const y2 = Math.min(Math.ceil(fy), height - 1);
    const dy = fy - y1;
    if (upperRow !== y1) {
      if (lowerRow === y1) {
        [upper, lower] = [lower, upper];
        lowerRow = -1;
      } else across(y1, upper);
      upperRow = y1;
    }
    if (lowerRow !== y2) {
      across(y2, lower);
      lowerRow = y2;
    }
    let o = y * toWidth;
    for (let x = 0; x < toWidth; x++, o++) {
      const top = upper[x];
      out[o] = top + (lower[x] - top) * dy + 0.5;
    }
  }
  return out;
}

export function meanAlpha(alpha: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < alpha.length; i++) sum += alpha[i];
  return alpha.length ? sum / alpha.length / 255 : 0;
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
