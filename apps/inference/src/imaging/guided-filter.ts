import sharp from 'sharp';

/**
 * Edge refinement of an upscaled mask with a fast guided filter (He & Sun, 2015): the
 * linear coefficients (a, b) of "alpha ≈ a · I + b" are fitted in local windows at a working
 * resolution, smoothed, upsampled, and applied to the full-resolution grey guide I, so the
 * mask's edges follow the photo (hair, fur) rather than a 1024² mask blown up.
 * Where the mask is flat (all background or all foreground) a ≈ 0 and the mask is unchanged.
 */
export interface GuidedFilterOptions {
  /** Window radius at full resolution, in pixels (scaled with the working resolution). */
  radius: number;
  /** Regulariser on a 0..1 guide: larger keeps the mask smoother. */
  eps: number;
  /** Largest working resolution (pixels) for the coefficients. */
  workPixels: number;
}

export function defaultGuidedFilterOptions(width: number, height: number): GuidedFilterOptions {
  // The model sees 1024 px on the long side: its edges are about longSide/1024 px wide once upscaled.
  const upscale = Math.max(width, height) / 1024;
  return { radius: Math.max(2, Math.round(3 * Math.max(1, upscale))), eps: 1e-3, workPixels: 1_500_000 };
}

/** Box mean with radius r (window clipped at the borders), O(n) with running sums. */
export function boxMean(src: Float32Array, w: number, h: number, r: number, out: Float32Array = new Float32Array(w * h), tmp: Float32Array = new Float32Array(w * h)): Float32Array {
  // Horizontal pass into tmp.
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let sum = 0;
    for (let x = 0; x <= Math.min(r, w - 1); x++) sum += src[row + x];
    for (let x = 0; x < w; x++) {
      const lo = x - r - 1;
      const hi = x + r;
      if (x > 0) {
        if (hi < w) sum += src[row + hi];
        if (lo >= 0) sum -= src[row + lo];
      }
      tmp[row + x] = sum / (Math.min(w - 1, hi) - Math.max(0, x - r) + 1);
    }
  }
  // Vertical pass into out.
  for (let x = 0; x < w; x++) {
    let sum = 0;
    for (let y = 0; y <= Math.min(r, h - 1); y++) sum += tmp[y * w + x];
    for (let y = 0; y < h; y++) {
      const lo = y - r - 1;
      const hi = y + r;
      if (y > 0) {
        if (hi < h) sum += tmp[hi * w + x];
        if (lo >= 0) sum -= tmp[lo * w + x];
      }
      out[y * w + x] = sum / (Math.min(h - 1, hi) - Math.max(0, y - r) + 1);
    }
  }
  return out;
}

async function resizeRaw(data: Uint8Array, w: number, h: number, channels: 1 | 3, toW: number, toH: number): Promise<Buffer> {
  if (w === toW && h === toH) return Buffer.from(data.buffer, data.byteOffset, data.length);
  return sharp(data, { raw: { width: w, height: h, channels } }).resize(toW, toH, { fit: 'fill', kernel: 'linear' }).raw().toBuffer();
}

/** Refines `alpha` (full resolution, 0..255) using `rgb` (same size, HWC) as the guide. Returns a new mask. */
export async function guidedFilterRefine(rgb: Uint8Array, alpha: Uint8Array, width: number, height: number, options = defaultGuidedFilterOptions(width, height)): Promise<Uint8Array> {
  const n = width * height;
  const scale = Math.min(1, Math.sqrt(options.workPixels / n));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const r = Math.max(1, Math.round(options.radius * scale));
  const [rgbLow, alphaLow] = await Promise.all([resizeRaw(rgb, width, height, 3, w, h), resizeRaw(alpha, width, height, 1, w, h)]);
  const m = w * h;
  const I = new Float32Array(m);
  const p = new Float32Array(m);
  const Ip = new Float32Array(m);
  const II = new Float32Array(m);
  for (let i = 0, j = 0; i < m; i++, j += 3) {
    const g = (0.299 * rgbLow[j] + 0.587 * rgbLow[j + 1] + 0.114 * rgbLow[j + 2]) / 255;
    const a = alphaLow[i] / 255;
    I[i] = g;
    p[i] = a;
    Ip[i] = g * a;
    II[i] = g * g;
  }
  const tmp = new Float32Array(m);
  const meanI = boxMean(I, w, h, r, new Float32Array(m), tmp);
  const meanP = boxMean(p, w, h, r, new Float32Array(m), tmp);
  const meanIp = boxMean(Ip, w, h, r, Ip, tmp);
  const meanII = boxMean(II, w, h, r, II, tmp);
  const A = I; // reuse buffers
  const B = p;
  for (let i = 0; i < m; i++) {
    const varI = meanII[i] - meanI[i] * meanI[i];
    const cov = meanIp[i] - meanI[i] * meanP[i];
    const a = cov / (varI + options.eps);
    A[i] = a;
    B[i] = meanP[i] - a * meanI[i];
  }
  const meanA = boxMean(A, w, h, r, meanI, tmp);
  const meanB = boxMean(B, w, h, r, meanP, tmp);
  return applyCoefficients(rgb, width, height, meanA, meanB, w, h);
}

/** q = A·I + B at full resolution, with A and B bilinearly upsampled from the working grid. */
function applyCoefficients(rgb: Uint8Array, width: number, height: number, A: Float32Array, B: Float32Array, w: number, h: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const sx = w / width;
  const sy = h / height;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(h - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(h - 1, y0 + 1);
    const dy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(w - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(w - 1, x0 + 1);
      const dx = fx - x0;
      const i00 = y0 * w + x0;
      const i01 = y0 * w + x1;
      const i10 = y1 * w + x0;
      const i11 = y1 * w + x1;
      const w00 = (1 - dx) * (1 - dy);
      const w01 = dx * (1 - dy);
      const w10 = (1 - dx) * dy;
      const w11 = dx * dy;
      const a = A[i00] * w00 + A[i01] * w01 + A[i10] * w10 + A[i11] * w11;
      const b = B[i00] * w00 + B[i01] * w01 + B[i10] * w10 + B[i11] * w11;
      const k = (y * width + x) * 3;
      const g = (0.299 * rgb[k] + 0.587 * rgb[k + 1] + 0.114 * rgb[k + 2]) / 255;
      const q = (a * g + b) * 255;
      out[y * width + x] = q <= 0 ? 0 : q >= 255 ? 255 : q + 0.5;
    }
  }
  return out;
}
