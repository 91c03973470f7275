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
  // No bytes is no image (an image refusal, as the README lists it), not a problem with the options.
  if (bytes.length === 0) throw new InferenceFailure('UNSUPPORTED_IMAGE', 'image is empty (0 bytes)');
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
