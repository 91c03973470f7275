import sharp from 'sharp';
import type { RgbImage } from './preprocess';
import { decontaminateBoxParallel } from './foreground-worker';
import { subjectBox, type Box } from './mask';
import { encodePngRows, PngRows } from './png-encode';
import type { RemoveOptions } from './remove-options';

export interface EncodedImage {
  image: Buffer;
  mime: string;
  width: number;
  height: number;
}

const MIME = { png: 'image/png', webp: 'image/webp', jpg: 'image/jpeg' } as const;

/** Where composeAndEncode reports what it chose not to do (the service passes its logger's debug). */
export type ComposeDebug = (details: object, message: string) => void;

/**
 * Default zlib level of PNG output. PNGs are written by png-encode.ts with the Up filter:
 * level 1 there gives 15-35 % smaller files than sharp's unfiltered level 3 for the same or
 * less CPU time; level 3 adds ~50 % time for ~4 % smaller files (speed photos, 2026-11-30).
 */
export const PNG_COMPRESSION_LEVEL = 1;

/**
 * Builds the output pixels in one pass over typed arrays (crop, alpha join or background
 * blend) and encodes them. `rgb` is needed for cut-outs, not for masks. Cut-outs first get
 * their partly transparent pixels' foreground colours estimated (foreground-estimation.ts; on
 * both cores, this thread and a worker each taking a window of rows: foreground-worker.ts)
 * unless `decontaminate` is false; that time counts in the encode stage (encodeMs). Only the
 * crop's pixels are estimated; over MAX_BAND_PIXELS partly transparent pixels the photo's colours
 * are kept (reported to `debug`).
 * PNG output is composed straight into filtered scanlines (PngRows, no copy) and deflated in
 * strips on the thread pool (png-encode.ts); WebP and JPEG go through sharp.
 */
export async function composeAndEncode(
  alpha: Uint8Array,
  width: number,
  height: number,
  rgb: RgbImage | undefined,
  options: RemoveOptions,
  pngCompression = PNG_COMPRESSION_LEVEL,
  debug?: ComposeDebug,
): Promise<EncodedImage> {
  const box: Box = (options.crop && subjectBox(alpha, width, height, options.cropMargin)) || { left: 0, top: 0, width, height };
  const bg = options.bgColor;
  const channels: 1 | 3 | 4 = options.type === 'mask' ? 1 : bg && bg.a >= 1 ? 3 : 4;
  // PNG: rows of 1 filter byte + pixels (stride), written in place; otherwise packed pixels for sharp.
  const png = options.format === 'png' ? new PngRows(box.width, box.height, channels) : undefined;
  const stride = png ? png.stride : box.width * channels;
  const lead = png ? 1 : 0;
  const pixels = png ? png.data : Buffer.allocUnsafe(box.height * stride);
  if (options.type === 'mask') {
    for (let y = 0; y < box.height; y++)
      pixels.set(alpha.subarray((box.top + y) * width + box.left, (box.top + y) * width + box.left + box.width), y * stride + lead);
  } else {
    if (!rgb) throw new Error('a cut-out needs the decoded image');
    // The colours: the photo's, or the crop's decontaminated copy (box-sized, so its own origin and width).
    let src: Uint8Array = rgb.data;
    let origin = { left: 0, top: 0, width };
    if (options.decontaminate) {
      const colours = await decontaminateBoxParallel(rgb.data, alpha, width, height, box);
      if (colours.skippedBandPixels)
        debug?.(
          { bandPixels: colours.skippedBandPixels, width: box.width, height: box.height },
          'decontamination skipped: too many partly transparent pixels (MAX_BAND_PIXELS); the photo colours are kept',
        );
      src = colours.rgb;
      if (src !== rgb.data) origin = { left: box.left, top: box.top, width: box.width };
    }
    for (let y = 0; y < box.height; y++) {
      let o = y * stride + lead;
      let i = (box.top + y) * width + box.left;
      let k = ((box.top - origin.top + y) * origin.width + box.left - origin.left) * 3;
      for (let x = 0; x < box.width; x++, i++, k += 3) {
        const a = alpha[i];
        if (!bg) {
          if (a === 0) {
            // Fully transparent: no colour at all. The photo's background must not survive in the
            // file (it reappears when alpha is dropped), and zero runs deflate fast and small.
            pixels[o] = pixels[o + 1] = pixels[o + 2] = pixels[o + 3] = 0;
            o += 4;
            continue;
          }
          pixels[o] = src[k];
          pixels[o + 1] = src[k + 1];
          pixels[o + 2] = src[k + 2];
          pixels[o + 3] = a;
          o += 4;
        } else if (channels === 3) {
          const f = a / 255;
          pixels[o] = src[k] * f + bg.r * (1 - f) + 0.5;
          pixels[o + 1] = src[k + 1] * f + bg.g * (1 - f) + 0.5;
          pixels[o + 2] = src[k + 2] * f + bg.b * (1 - f) + 0.5;
          o += 3;
        } else {
          // Subject over a translucent background: "over" compositing, straight alpha.
          const f = a / 255;
          const ba = bg.a * (1 - f);
          const outA = f + ba;
          const inv = outA > 0 ? 1 / outA : 0;
          pixels[o] = (src[k] * f + bg.r * ba) * inv + 0.5;
          pixels[o + 1] = (src[k + 1] * f + bg.g * ba) * inv + 0.5;
          pixels[o + 2] = (src[k + 2] * f + bg.b * ba) * inv + 0.5;
          pixels[o + 3] = outA * 255 + 0.5;
          o += 4;
        }
      }
    }
  }
  if (png)
    return { image: await encodePngRows(png.filterUp(), { level: pngCompression }), mime: MIME.png, width: box.width, height: box.height };
  let image = sharp(pixels, { raw: { width: box.width, height: box.height, channels } });
  if (channels === 1) image = image.toColourspace('b-w');
  const quality = options.quality;
  const encoded =
    options.format === 'webp'
      ? image.webp({ quality: quality ?? 90, alphaQuality: 100, effort: 2 })
      : image.jpeg({ quality: quality ?? 90 });
  return { image: await encoded.toBuffer(), mime: MIME[options.format], width: box.width, height: box.height };
}
