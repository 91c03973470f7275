import sharp from 'sharp';
import { InferenceFailure } from '../errors/inference-failure';
import type { ModelManifest } from '../models/model-manifest';

/** Formats the service decodes; anything else is UNSUPPORTED_IMAGE (SVG/PDF are refused on purpose). */
const SUPPORTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'avif', 'heif', 'tiff', 'gif']);

export interface ImageLimits {
  maxBytes: number;
  maxPixels: number;
  /**
   * How photos are resized to the model's input: a sharp kernel on the encoded image, or
   * 'asymmetric' (bilinear with ONNX Resize's asymmetric coordinates, the resampling the
   * peer and its reference figures use) computed from the decoded image in typed arrays.
   */
  resizeKernel?: keyof sharp.KernelEnum | 'asymmetric';
}

export interface ProbedImage {
  format: string;
  /** Size after EXIF orientation. */
  width: number;
  height: number;
  /** Output size (after the size option). */
  outWidth: number;
  outHeight: number;
}

export interface RgbImage {
  data: Buffer;
  width: number;
  height: number;
}

function sharpOf(bytes: Buffer, limits: ImageLimits) {
  // failOn 'warning' (sharp's default, said out loud): truncated or corrupt files fail instead of decoding half an image.
  return sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'warning', autoOrient: true });
}

function decodeFailure(error: unknown): InferenceFailure {
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) return new InferenceFailure('IMAGE_TOO_LARGE', `image exceeds the pixel limit: ${message}`);
  return new InferenceFailure('UNSUPPORTED_IMAGE', `could not decode the image: ${message.split('\n')[0]}`);
}

/** Reads the header only: format and size, with byte and pixel limits (pixel bombs stop here). */
export async function probeImage(bytes: Buffer, limits: ImageLimits, maxOutputPixels?: number): Promise<ProbedImage> {
  if (bytes.length === 0) throw new InferenceFailure('INVALID_ARGUMENT', 'image is empty');
  if (bytes.length > limits.maxBytes)
    throw new InferenceFailure('IMAGE_TOO_LARGE', `image is ${bytes.length} bytes; the limit is ${limits.maxBytes}`);
  let meta: sharp.Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw decodeFailure(error);
  }
  if (!meta.format || !SUPPORTED_FORMATS.has(meta.format))
    throw new InferenceFailure(
      'UNSUPPORTED_IMAGE',
      `unsupported image format ${meta.format ?? 'unknown'}; send PNG, JPEG, WebP, AVIF, TIFF or GIF`,
    );
  if (!meta.width || !meta.height) throw new InferenceFailure('UNSUPPORTED_IMAGE', 'image has no size');
  const pixels = meta.width * meta.height;
  if (pixels > limits.maxPixels)
    throw new InferenceFailure(
      'IMAGE_TOO_LARGE',
      `image is ${meta.width}x${meta.height} (${(pixels / 1e6).toFixed(1)} MP); the limit is ${(limits.maxPixels / 1e6).toFixed(1)} MP`,
    );
  const swap = (meta.orientation ?? 1) >= 5;
  const width = swap ? meta.height : meta.width;
  const height = swap ? meta.width : meta.height;
  const scale = maxOutputPixels && pixels > maxOutputPixels ? Math.sqrt(maxOutputPixels / pixels) : 1;
  return {
    format: meta.format,
    width,
    height,
    outWidth: Math.max(1, Math.round(width * scale)),
    outHeight: Math.max(1, Math.round(height * scale)),
  };
}

/** Decodes to 8-bit sRGB RGB at the output size (EXIF orientation applied, ICC profile converted, alpha dropped). */
export async function decodeRgb(bytes: Buffer, probe: ProbedImage, limits: ImageLimits): Promise<RgbImage> {
  try {
    let pipeline = sharpOf(bytes, limits);
    if (probe.outWidth !== probe.width || probe.outHeight !== probe.height)
      pipeline = pipeline.resize(probe.outWidth, probe.outHeight, { fit: 'fill' });
    const { data, info } = await pipeline.toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
    return { data, width: info.width, height: info.height };
  } catch (error) {
    throw decodeFailure(error);
  }
}

/**
 * Decodes straight to the model's input size (JPEG shrink-on-load makes this cheap) and
 * writes the normalised planar tensor (N=1, C=3, H, W) into `target` at `offset`.
 */
export async function decodeModelInput(
  bytes: Buffer,
  limits: ImageLimits,
  manifest: ModelManifest,
  target?: Float32Array,
): Promise<Float32Array> {
  const { width, height } = manifest.input;
  let data: Buffer;
  try {
    data = await sharpOf(bytes, limits)
      .resize(width, height, {
        fit: 'fill',
        kernel: limits.resizeKernel === 'asymmetric' || !limits.resizeKernel ? 'linear' : limits.resizeKernel,
      })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer();
  } catch (error) {
    throw decodeFailure(error);
  }
  if (data.length !== width * height * 3) throw new InferenceFailure('UNSUPPORTED_IMAGE', 'could not convert the image to RGB');
  return normalizeToPlanar(data, width * height, manifest.input.mean, manifest.input.std, target);
}

/** HWC uint8 RGB to CHW float32 ((x - mean) / std per channel), in one pass over typed arrays. */
export function normalizeToPlanar(
  rgb: Uint8Array,
  pixels: number,
  mean: readonly number[],
  std: readonly number[],
  target: Float32Array = new Float32Array(3 * pixels),
): Float32Array {
  const [m0, m1, m2] = mean;
  const s0 = 1 / std[0];
  const s1 = 1 / std[1];
  const s2 = 1 / std[2];
  const g = pixels;
  const b = 2 * pixels;
  for (let i = 0, j = 0; j < pixels; i += 3, j++) {
    target[j] = (rgb[i] - m0) * s0;
    target[g + j] = (rgb[i + 1] - m1) * s1;
    target[b + j] = (rgb[i + 2] - m2) * s2;
  }
  return target;
}

/**
 * Math.round for 0 ≤ v < 2^31, the same result (halves up, the float edge case where v + 0.5
 * rounds up to the next integer corrected as V8 does): in this loop Math.round cost two thirds
 * of planarFromRgbBilinear's time (31 -> 11 ms at 1024², 2026-11-30).
 */
export function roundNonNegative(v: number): number {
  const r = (v + 0.5) | 0;
  return r - 0.5 > v ? r - 1 : r;
}

/**
 * Resizes decoded RGB (HWC) to the model's input with bilinear interpolation in ONNX Resize's
 * 'asymmetric' coordinates (source = destination * scale), rounds to 8 bits as an image
 * resize would, and writes the normalised planar tensor, all in one pass over typed arrays.
 */
export function planarFromRgbBilinear(
  rgb: RgbImage,
  manifest: ModelManifest,
  target: Float32Array = new Float32Array(3 * manifest.input.width * manifest.input.height),
): Float32Array {
  const { width: W, height: H, mean, std } = manifest.input;
  const { data, width: w, height: h } = rgb;
  const sx = w / W;
  const sy = h / H;
  const plane = W * H;
  const [m0, m1, m2] = mean;
  const i0 = 1 / std[0];
  const i1 = 1 / std[1];
  const i2 = 1 / std[2];
  // The column taps and weights are the same on every row: computed once (same arithmetic as per pixel).
  const left = new Int32Array(W);
  const right = new Int32Array(W);
  const fracX = new Float64Array(W);
  for (let x = 0; x < W; x++) {
    const fx = x * sx;
    const x1 = Math.floor(fx);
    left[x] = x1 * 3;
    right[x] = Math.min(Math.ceil(fx), w - 1) * 3;
    fracX[x] = fx - x1;
  }
  for (let y = 0; y < H; y++) {
    const fy = y * sy;
    const y1 = Math.floor(fy);
    const y2 = Math.min(Math.ceil(fy), h - 1);
    const dy = fy - y1;
    const top = y1 * w * 3;
    const bottom = y2 * w * 3;
    let o = y * W;
    for (let x = 0; x < W; x++, o++) {
      const dx = fracX[x];
      const w11 = (1 - dx) * (1 - dy);
      const w21 = dx * (1 - dy);
      const w12 = (1 - dx) * dy;
      const w22 = dx * dy;
      const a = top + left[x];
      const b = top + right[x];
      const c = bottom + left[x];
      const d = bottom + right[x];
      const v0 = roundNonNegative(w11 * data[a] + w21 * data[b] + w12 * data[c] + w22 * data[d]);
      const v1 = roundNonNegative(w11 * data[a + 1] + w21 * data[b + 1] + w12 * data[c + 1] + w22 * data[d + 1]);
      const v2 = roundNonNegative(w11 * data[a + 2] + w21 * data[b + 2] + w12 * data[c + 2] + w22 * data[d + 2]);
      target[o] = (v0 - m0) * i0;
      target[plane + o] = (v1 - m1) * i1;
      target[2 * plane + o] = (v2 - m2) * i2;
    }
  }
  return target;
}
