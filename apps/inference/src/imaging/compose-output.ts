import sharp from 'sharp';
import type { RgbImage } from './preprocess';
import { decontaminateBoxParallel } from './imaging-workers';
import { subjectBox, type Box } from './mask';
import { largeBuffers } from './buffer-pool';
import { PngStripEncoder, type ByteSink } from './png-encode';
import { wordsOf } from './word-view';
import { InferenceFailure } from '../errors/inference-failure';
import type { RemoveOptions, Rgba } from './remove-options';

export interface EncodedImage {
  /** The whole file; empty when it went to the `sink` of composeAndEncode's hooks. */
  image: Buffer;
  /** The file's size in bytes (also when it was streamed). */
  imageSize: number;
  mime: string;
  width: number;
  height: number;
}

const MIME = { png: 'image/png', webp: 'image/webp', jpg: 'image/jpeg' } as const;

/** Where composeAndEncode reports what it chose not to do (the service passes its logger's debug). */
export type ComposeDebug = (details: object, message: string) => void;

export interface ComposeHooks {
  debug?: ComposeDebug;
  /**
   * Takes a PNG's bytes in order while it is being encoded (PngStripEncoder's sink): the file is
   * then not assembled and EncodedImage.image is empty. Other formats come whole.
   */
  sink?: ByteSink;
  /** Threads that decontaminate the colours (decontaminateBoxParallel; default 2). */
  imagingThreads?: number;
}

/**
 * Default zlib level of PNG output. PNGs are written by png-encode.ts with the Up filter:
 * level 1 there gives 15-35 % smaller files than sharp's unfiltered level 3 for the same or
 * less CPU time; level 3 adds ~50 % time for ~4 % smaller files (speed photos, 2026-11-30).
 */
export const PNG_COMPRESSION_LEVEL = 1;

/** Where a writer puts its rows: row y's pixels from byte y × `stride` + `lead` (stride 0: every row at `lead`, one row a call). */
interface Target {
  pixels: Uint8Array;
  /** The same memory as 32-bit words when `pixels` starts 4-byte aligned (wordsOf), for writers that fill whole words. */
  words: Uint32Array | undefined;
  stride: number;
  lead: number;
}

/** Where the colours come from: the photo, or the crop's decontaminated copy (its own origin and width). */
interface Colours {
  src: Uint8Array;
  left: number;
  top: number;
  width: number;
}

/** Plain Uint8Array views: one element kind in the hot loops (a Buffer and a Uint8Array would make them polymorphic). */
const bytes = (a: Uint8Array) => (a.constructor === Uint8Array ? a : new Uint8Array(a.buffer, a.byteOffset, a.length));

/**
 * Rows [y0, y1) of the box: the subject with its alpha (a fully transparent pixel carries no colour).
 * Where alpha and the target both have words (`alphaWords`, Target.words), four transparent pixels
 * (an alpha word of 0, most of a cut-out's background) are written as four zero words at once.
 */
function writeCutoutRows(
  t: Target,
  alpha: Uint8Array,
  alphaWords: Uint32Array | undefined,
  width: number,
  box: Box,
  c: Colours,
  y0: number,
  y1: number,
): void {
  const { pixels, words: pixelWords, stride, lead } = t;
  const src = c.src;
  for (let y = y0; y < y1; y++) {
    let o = y * stride + lead;
    let i = (box.top + y) * width + box.left;
    let k = ((box.top - c.top + y) * c.width + box.left - c.left) * 3;
    const end = i + box.width;
    // Whole alpha words only where the pixels' words line up too (every pixel is 4 bytes: o aligned once is aligned throughout).
    const aligned = alphaWords !== undefined && pixelWords !== undefined && (o & 3) === 0;
    while (i < end) {
      if (aligned && (i & 3) === 0 && i + 4 <= end && alphaWords[i >> 2] === 0) {
        const q = o >> 2;
        pixelWords[q] = 0;
        pixelWords[q + 1] = 0;
        pixelWords[q + 2] = 0;
        pixelWords[q + 3] = 0;
        i += 4;
        k += 12;
        o += 16;
        continue;
      }
      const a = alpha[i];
      if (a === 0) {
        // Fully transparent: no colour at all. The photo's background must not survive in the
        // file (it reappears when alpha is dropped), and zero runs deflate fast and small.
        pixels[o] = 0;
        pixels[o + 1] = 0;
        pixels[o + 2] = 0;
        pixels[o + 3] = 0;
      } else {
        pixels[o] = src[k];
        pixels[o + 1] = src[k + 1];
        pixels[o + 2] = src[k + 2];
        pixels[o + 3] = a;
      }
      i++;
      k += 3;
      o += 4;
    }
  }
}

/** Rows [y0, y1): the subject blended over an opaque background colour (RGB). */
function writeOverOpaqueRows(t: Target, alpha: Uint8Array, width: number, box: Box, c: Colours, bg: Rgba, y0: number, y1: number): void {
  const { pixels, stride, lead } = t;
  const src = c.src;
  for (let y = y0; y < y1; y++) {
    let o = y * stride + lead;
    let i = (box.top + y) * width + box.left;
    let k = ((box.top - c.top + y) * c.width + box.left - c.left) * 3;
    for (let x = 0; x < box.width; x++, i++, k += 3, o += 3) {
      const f = alpha[i] / 255;
      pixels[o] = src[k] * f + bg.r * (1 - f) + 0.5;
      pixels[o + 1] = src[k + 1] * f + bg.g * (1 - f) + 0.5;
      pixels[o + 2] = src[k + 2] * f + bg.b * (1 - f) + 0.5;
    }
  }
}

/** Rows [y0, y1): the subject over a translucent background colour ("over" compositing, straight alpha). */
function writeOverTranslucentRows(
  t: Target,
  alpha: Uint8Array,
  width: number,
  box: Box,
  c: Colours,
  bg: Rgba,
  y0: number,
  y1: number,
): void {
  const { pixels, stride, lead } = t;
  const src = c.src;
  for (let y = y0; y < y1; y++) {
    let o = y * stride + lead;
    let i = (box.top + y) * width + box.left;
    let k = ((box.top - c.top + y) * c.width + box.left - c.left) * 3;
    for (let x = 0; x < box.width; x++, i++, k += 3, o += 4) {
      const f = alpha[i] / 255;
      const ba = bg.a * (1 - f);
      const outA = f + ba;
      const inv = outA > 0 ? 1 / outA : 0;
      pixels[o] = (src[k] * f + bg.r * ba) * inv + 0.5;
      pixels[o + 1] = (src[k + 1] * f + bg.g * ba) * inv + 0.5;
      pixels[o + 2] = (src[k + 2] * f + bg.b * ba) * inv + 0.5;
      pixels[o + 3] = outA * 255 + 0.5;
    }
  }
}

/** Rows [y0, y1): the mask itself (8-bit grey). */
function writeMaskRows(t: Target, alpha: Uint8Array, width: number, box: Box, y0: number, y1: number): void {
  for (let y = y0; y < y1; y++) {
    const from = (box.top + y) * width + box.left;
    t.pixels.set(alpha.subarray(from, from + box.width), y * t.stride + t.lead);
  }
}

/**
 * The longest side each output format can hold: WebP's format limit; for JPEG libjpeg's JPEG_MAX_DIMENSION
 * (65500, below the 65535 its 16-bit size fields could hold: sharp's encoder refuses 65501); PNG's 31 bits.
 */
export const MAX_OUTPUT_SIDE = { png: 0x7fffffff, webp: 16383, jpg: 65500 } as const;

/**
 * IMAGE_TOO_LARGE when a result of `width` × `height` cannot be written in `format` (sharp's
 * encoder would fail after all the work, as INTERNAL_ERROR): checked on the output size before
 * decoding when nothing is cropped, and on the final box before encoding.
 */
export function assertEncodable(format: RemoveOptions['format'], width: number, height: number): void {
  const max = MAX_OUTPUT_SIDE[format];
  if (width > max || height > max)
    throw new InferenceFailure(
      'IMAGE_TOO_LARGE',
      `a ${format.toUpperCase()} result is at most ${max} pixels a side; this one would be ${width}x${height}: ask for PNG, a smaller size, or crop`,
    );
}

/**
 * Builds the output pixels in one pass over typed arrays (crop, alpha join or background
 * blend) and encodes them. `rgb` is needed for cut-outs, not for masks. Cut-outs first get
 * their partly transparent pixels' foreground colours estimated (foreground-estimation.ts; on
 * `hooks.imagingThreads` threads, this one and the workers each taking a window of rows: imaging-workers.ts)
 * unless `decontaminate` is false; that time counts in the encode stage (encodeMs). Only the
 * crop's pixels are estimated; over MAX_BAND_PIXELS partly transparent pixels the photo's colours
 * are kept (reported to `debug`).
 * PNG output is composed a row at a time into the encoder's raw row, which it filters straight
 * into the file's scanlines (with the checksum, one pass); completed strips are deflated on the
 * thread pool while the rows below are composed (PngStripEncoder, png-encode.ts); with
 * `hooks.sink` the PNG's bytes go there as each strip is deflated. WebP and JPEG go through sharp.
 */
export async function composeAndEncode(
  alpha: Uint8Array,
  width: number,
  height: number,
  rgb: RgbImage | undefined,
  options: RemoveOptions,
  pngCompression = PNG_COMPRESSION_LEVEL,
  { debug, sink, imagingThreads }: ComposeHooks = {},
): Promise<EncodedImage> {
  const box: Box = (options.crop && subjectBox(alpha, width, height, options.cropMargin)) || { left: 0, top: 0, width, height };
  assertEncodable(options.format, box.width, box.height);
  const bg = options.bgColor;
  const channels: 1 | 3 | 4 = options.type === 'mask' ? 1 : bg && bg.a >= 1 ? 3 : 4;
  let write: (t: Target, y0: number, y1: number) => void;
  // The decontaminated crop: given back to the buffer pool once every row is written.
  let spent: ArrayBuffer | undefined;
  const written = () => {
    if (spent) largeBuffers.release(spent);
    spent = undefined;
  };
  const a8 = bytes(alpha);
  const alphaWords = wordsOf(a8);
  if (options.type === 'mask') {
    write = (t, y0, y1) => writeMaskRows(t, a8, width, box, y0, y1);
  } else {
    if (!rgb) throw new Error('a cut-out needs the decoded image');
    let colours: Colours = { src: bytes(rgb.data), left: 0, top: 0, width };
    if (options.decontaminate) {
      const estimated = await decontaminateBoxParallel(rgb.data, alpha, width, height, box, {}, undefined, imagingThreads);
      if (estimated.skippedBandPixels)
        debug?.(
          { bandPixels: estimated.skippedBandPixels, width: box.width, height: box.height },
          'decontamination skipped: too many partly transparent pixels (MAX_BAND_PIXELS); the photo colours are kept',
        );
      if (estimated.rgb !== rgb.data) {
        colours = { src: bytes(estimated.rgb), left: box.left, top: box.top, width: box.width };
        if (estimated.pooled) spent = estimated.rgb.buffer as ArrayBuffer;
      }
    }
    const c = colours;
    if (!bg) write = (t, y0, y1) => writeCutoutRows(t, a8, alphaWords, width, box, c, y0, y1);
    else if (channels === 3) write = (t, y0, y1) => writeOverOpaqueRows(t, a8, width, box, c, bg, y0, y1);
    else write = (t, y0, y1) => writeOverTranslucentRows(t, a8, width, box, c, bg, y0, y1);
  }
  if (options.format === 'png') {
    const encoder = new PngStripEncoder(box.width, box.height, channels, pngCompression, undefined, sink);
    // Row by row into the encoder's raw row (stride 0: row y is written at its start), which pushRow() filters into the file.
    for (let y = 0; y < box.height; y++) {
      write({ pixels: encoder.row, words: encoder.rowWords, stride: 0, lead: 0 }, y, y + 1);
      encoder.pushRow();
    }
    written();
    const size = { mime: MIME.png, width: box.width, height: box.height };
    if (sink) return { image: Buffer.alloc(0), imageSize: await encoder.finishStream(), ...size };
    const image = await encoder.finish();
    return { image, imageSize: image.length, ...size };
  }
  const pixels = Buffer.allocUnsafe(box.height * box.width * channels);
  const target = bytes(pixels);
  write({ pixels: target, words: wordsOf(target), stride: box.width * channels, lead: 0 }, 0, box.height);
  written();
  let image = sharp(pixels, { raw: { width: box.width, height: box.height, channels } });
  if (channels === 1) image = image.toColourspace('b-w');
  const quality = options.quality;
  const encoded =
    options.format === 'webp'
      ? image.webp({ quality: quality ?? 90, alphaQuality: 100, effort: 2 })
      : image.jpeg({ quality: quality ?? 90 });
  const file = await encoded.toBuffer();
  return { image: file, imageSize: file.length, mime: MIME[options.format], width: box.width, height: box.height };
}
