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
  /** 'color' fits alpha to the three channels (better on hair against a similar-luminance backdrop). */
  guide?: 'gray' | 'color';
}

/** The tunable part of the defaults: the radius at up to 1024 px on the long side, eps and the guide. */
export interface GuidedFilterTuning {
  baseRadius: number;
  eps: number;
  guide: 'gray' | 'color';
}

/**
 * Searched by `npm run eval -- --tune` on the `tune` half of ../shared/eval only (see the README's
 * "Measurements"); figures are reported on the other half.
 */
export const GUIDED_FILTER_TUNING: GuidedFilterTuning = { baseRadius: 4, eps: 1e-4, guide: 'color' };

export function defaultGuidedFilterOptions(
  width: number,
  height: number,
  tuning: GuidedFilterTuning = GUIDED_FILTER_TUNING,
): GuidedFilterOptions {
  // The model sees 1024 px on the long side: its edges are about longSide/1024 px wide once upscaled.
  const upscale = Math.max(width, height) / 1024;
  return { radius: Math.round(tuning.baseRadius * Math.max(1, upscale)), eps: tuning.eps, workPixels: 1_500_000, guide: tuning.guide };
}

/** Box mean with radius r (window clipped at the borders), O(n) with running sums. */
export function boxMean(
  src: Float32Array,
  w: number,
  h: number,
  r: number,
  out: Float32Array = new Float32Array(w * h),
  tmp: Float32Array = new Float32Array(w * h),
): Float32Array {
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
  return sharp(data, { raw: { width: w, height: h, channels } })
    .resize(toW, toH, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer();
}

/** Refines `alpha` (full resolution, 0..255) using `rgb` (same size, HWC) as the guide. Returns a new mask. */
export async function guidedFilterRefine(
  rgb: Uint8Array,
  alpha: Uint8Array,
  width: number,
  height: number,
  options = defaultGuidedFilterOptions(width, height),
): Promise<Uint8Array> {
  const n = width * height;
  const scale = Math.min(1, Math.sqrt(options.workPixels / n));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const r = Math.max(1, Math.round(options.radius * scale));
  const [rgbLow, alphaLow] = await Promise.all([resizeRaw(rgb, width, height, 3, w, h), resizeRaw(alpha, width, height, 1, w, h)]);
  if (options.guide === 'color') {
    const { A, B } = colorCoefficients(rgbLow, alphaLow, w, h, r, options.eps);
    return applyColorCoefficients(rgb, width, height, A, B, w, h);
  }
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

/** Where each output pixel along one axis samples a grid of `size` cells (centre-aligned bilinear). */
function sampleAxis(length: number, size: number): { i0: Int32Array; i1: Int32Array; d: Float64Array } {
  const i0 = new Int32Array(length);
  const i1 = new Int32Array(length);
  const d = new Float64Array(length);
  const scale = size / length;
  for (let i = 0; i < length; i++) {
    const f = Math.min(size - 1, Math.max(0, (i + 0.5) * scale - 0.5));
    i0[i] = Math.floor(f);
    i1[i] = Math.min(size - 1, i0[i] + 1);
    d[i] = f - i0[i];
  }
  return { i0, i1, d };
}

/** q = A·I + B at full resolution, with A and B bilinearly upsampled from the working grid. */
function applyCoefficients(
  rgb: Uint8Array,
  width: number,
  height: number,
  A: Float32Array,
  B: Float32Array,
  w: number,
  h: number,
): Uint8Array {
  const out = new Uint8Array(width * height);
  const xs = sampleAxis(width, w);
  const ys = sampleAxis(height, h);
  for (let y = 0; y < height; y++) {
    const y0 = ys.i0[y];
    const y1 = ys.i1[y];
    const dy = ys.d[y];
    for (let x = 0; x < width; x++) {
      const x0 = xs.i0[x];
      const x1 = xs.i1[x];
      const dx = xs.d[x];
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

/** Colour guided filter coefficients: per window, alpha ≈ a · (R, G, B) + b with a 3x3 solve. */
function colorCoefficients(
  rgb: Uint8Array,
  alpha: Uint8Array,
  w: number,
  h: number,
  r: number,
  eps: number,
): { A: Float32Array[]; B: Float32Array } {
  const m = w * h;
  const ch = [new Float32Array(m), new Float32Array(m), new Float32Array(m)];
  const p = new Float32Array(m);
  for (let i = 0, j = 0; i < m; i++, j += 3) {
    ch[0][i] = rgb[j] / 255;
    ch[1][i] = rgb[j + 1] / 255;
    ch[2][i] = rgb[j + 2] / 255;
    p[i] = alpha[i] / 255;
  }
  const tmp = new Float32Array(m);
  const mean = (src: Float32Array) => boxMean(src, w, h, r, new Float32Array(m), tmp);
  const product = (a: Float32Array, b: Float32Array) => {
    const out = new Float32Array(m);
    for (let i = 0; i < m; i++) out[i] = a[i] * b[i];
    return boxMean(out, w, h, r, out, tmp);
  };
  const mI = ch.map(mean);
  const mP = mean(p);
  const mIp = ch.map((c) => product(c, p));
  const [rr, rg, rb, gg, gb, bb] = [
    product(ch[0], ch[0]),
    product(ch[0], ch[1]),
    product(ch[0], ch[2]),
    product(ch[1], ch[1]),
    product(ch[1], ch[2]),
    product(ch[2], ch[2]),
  ];
  const A = [new Float32Array(m), new Float32Array(m), new Float32Array(m)];
  const B = new Float32Array(m);
  for (let i = 0; i < m; i++) {
    const mr = mI[0][i];
    const mg = mI[1][i];
    const mb = mI[2][i];
    const mp = mP[i];
    const cr = mIp[0][i] - mr * mp;
    const cg = mIp[1][i] - mg * mp;
    const cb = mIp[2][i] - mb * mp;
    const s00 = rr[i] - mr * mr + eps;
    const s01 = rg[i] - mr * mg;
    const s02 = rb[i] - mr * mb;
    const s11 = gg[i] - mg * mg + eps;
    const s12 = gb[i] - mg * mb;
    const s22 = bb[i] - mb * mb + eps;
    // Inverse of the symmetric 3x3 covariance (+ eps I) by cofactors.
    const i00 = s11 * s22 - s12 * s12;
    const i01 = s02 * s12 - s01 * s22;
    const i02 = s01 * s12 - s02 * s11;
    const i11 = s00 * s22 - s02 * s02;
    const i12 = s01 * s02 - s00 * s12;
    const i22 = s00 * s11 - s01 * s01;
    const det = s00 * i00 + s01 * i01 + s02 * i02;
    const inv = det !== 0 ? 1 / det : 0;
    const ar = (i00 * cr + i01 * cg + i02 * cb) * inv;
    const ag = (i01 * cr + i11 * cg + i12 * cb) * inv;
    const ab = (i02 * cr + i12 * cg + i22 * cb) * inv;
    A[0][i] = ar;
    A[1][i] = ag;
    A[2][i] = ab;
    B[i] = mp - ar * mr - ag * mg - ab * mb;
  }
  return { A: A.map((a) => boxMean(a, w, h, r, a, tmp)), B: boxMean(B, w, h, r, B, tmp) };
}

function applyColorCoefficients(
  rgb: Uint8Array,
  width: number,
  height: number,
  A: Float32Array[],
  B: Float32Array,
  w: number,
  h: number,
): Uint8Array {
  const out = new Uint8Array(width * height);
  const xs = sampleAxis(width, w);
  const ys = sampleAxis(height, h);
  const [Ar, Ag, Ab] = A;
  for (let y = 0; y < height; y++) {
    const y0 = ys.i0[y];
    const y1 = ys.i1[y];
    const dy = ys.d[y];
    for (let x = 0; x < width; x++) {
      const x0 = xs.i0[x];
      const x1 = xs.i1[x];
      const dx = xs.d[x];
      const i00 = y0 * w + x0;
      const i01 = y0 * w + x1;
      const i10 = y1 * w + x0;
      const i11 = y1 * w + x1;
      const w00 = (1 - dx) * (1 - dy);
      const w01 = dx * (1 - dy);
      const w10 = (1 - dx) * dy;
      const w11 = dx * dy;
      const k = (y * width + x) * 3;
      const q =
        ((Ar[i00] * w00 + Ar[i01] * w01 + Ar[i10] * w10 + Ar[i11] * w11) * rgb[k] +
          (Ag[i00] * w00 + Ag[i01] * w01 + Ag[i10] * w10 + Ag[i11] * w11) * rgb[k + 1] +
          (Ab[i00] * w00 + Ab[i01] * w01 + Ab[i10] * w10 + Ab[i11] * w11) * rgb[k + 2]) /
          255 +
        (B[i00] * w00 + B[i01] * w01 + B[i10] * w10 + B[i11] * w11);
      const v = q * 255;
      out[y * width + x] = v <= 0 ? 0 : v >= 255 ? 255 : v + 0.5;
    }
  }
  return out;
}
