import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { constants, crc32, deflateRaw, type ZlibOptions } from 'node:zlib';

const deflateRawAsync = promisify<Buffer, ZlibOptions, Buffer>(deflateRaw);

/** PNG colour types by channel count: grey, RGB, RGBA (8 bits per sample). */
const COLOUR_TYPE = { 1: 0, 3: 2, 4: 6 } as const;
export type PngChannels = keyof typeof COLOUR_TYPE;

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** zlib's window: each strip is deflated with the previous strip's last 32 KiB as its dictionary. */
const WINDOW = 32 * 1024;
/**
 * Least filtered bytes per strip by default (smaller images are not worth a thread-pool round
 * trip). Measured on the speed photos (Up filter, level 1, 2 cores, one quiet moment, median of
 * 15): two strips against one took 57 -> 45 ms (2.1 MP), 123 -> 92 ms (3.4 MP), 208 -> 130 ms
 * (5.2 MP); sharp's unfiltered level 3 took 78, 154, 226 ms. Four strips were no faster than two
 * on 2 cores, and under full load a second strip cost ~10 % more CPU time for no gain.
 */
const STRIP_BYTES = 1024 * 1024;

/**
 * Filtered PNG scanlines, ready for encodePngRows: `height` rows of `stride` bytes, each a
 * filter-type byte (0, None, already set) followed by the row's pixels at `offset(y)`.
 * Writers fill the pixels in place, so no copy is made between composing and deflating.
 */
export class PngRows {
  readonly stride: number;
  readonly data: Buffer;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly channels: PngChannels,
  ) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
      throw new RangeError(`a PNG needs a positive whole size; got ${width}x${height}`);
    this.stride = 1 + width * channels;
    this.data = Buffer.allocUnsafe(this.stride * height);
    for (let y = 0; y < height; y++) this.data[y * this.stride] = 0;
  }

  /** Byte offset of row y's first pixel. */
  offset(y: number): number {
    return y * this.stride + 1;
  }

  /**
   * Applies PNG filter type 2 (Up: each byte minus the byte above it, mod 256) to every row,
   * in place, bottom row first so each row is still unfiltered when the row below reads it.
   * The first row's "above" is zero, so it keeps its bytes. On cut-outs, Up gives about 25 %
   * smaller files than no filter and lets a low zlib level match sharp's level 3 in size.
   */
  filterUp(): this {
    const { data, stride } = this;
    for (let y = this.height - 1; y >= 0; y--) {
      const row = y * stride;
      data[row] = 2;
      if (y === 0) break;
      for (let i = row + 1, j = row + 1 - stride, end = row + stride; i < end; i++, j++) data[i] = (data[i] - data[j]) & 0xff;
    }
    return this;
  }

  /** Rows from tightly packed pixels (width * channels bytes a row). */
  static fromPixels(pixels: Uint8Array, width: number, height: number, channels: PngChannels): PngRows {
    const rows = new PngRows(width, height, channels);
    const rowBytes = width * channels;
    if (pixels.length < rowBytes * height) throw new RangeError(`expected ${rowBytes * height} bytes of pixels; got ${pixels.length}`);
    for (let y = 0; y < height; y++) rows.data.set(pixels.subarray(y * rowBytes, (y + 1) * rowBytes), rows.offset(y));
    return rows;
  }
}

/**
 * Adler-32 (RFC 1950) of `data`, continuing from `adler`. Blocks of 3800 bytes keep both sums
 * below 2^31 (small integers); the inner loop takes 8 bytes a turn.
 */
export function adler32(data: Uint8Array, adler = 1): number {
  let a = adler & 0xffff;
  let b = adler >>> 16;
  let i = 0;
  const n = data.length;
  while (i < n) {
    const end = Math.min(n, i + 3800);
    for (const end8 = end - 7; i < end8; i += 8) {
      a += data[i];
      b += a;
      a += data[i + 1];
      b += a;
      a += data[i + 2];
      b += a;
      a += data[i + 3];
      b += a;
      a += data[i + 4];
      b += a;
      a += data[i + 5];
      b += a;
      a += data[i + 6];
      b += a;
      a += data[i + 7];
      b += a;
    }
    for (; i < end; i++) {
      a += data[i];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

export interface PngEncodeOptions {
  /** zlib level, 0-9 (the service passes INFERENCE_PNG_COMPRESSION; compose-output's PNG_COMPRESSION_LEVEL by default). */
  level: number;
  /** Horizontal strips deflated in parallel; default from the size and the machine's cores. */
  strips?: number;
}

/**
 * Strips that can deflate at once: the cores, but no more than libuv's thread pool has threads
 * (UV_THREADPOOL_SIZE, 4 unless set; more strips than threads only queue behind each other and
 * behind the pool's other work, such as sharp's and fs calls).
 */
export function parallelStrips(cores = availableParallelism(), threadPoolSize = process.env.UV_THREADPOOL_SIZE): number {
  const pool = Number.parseInt(threadPoolSize ?? '', 10);
  return Math.max(1, Math.min(cores, Number.isInteger(pool) && pool > 0 ? pool : 4));
}

/** Strips for `bytes` of filtered data: one per core the thread pool can use (parallelStrips), each at least STRIP_BYTES. */
export function defaultStrips(bytes: number, cores = parallelStrips()): number {
  return Math.max(1, Math.min(cores, Math.floor(bytes / STRIP_BYTES)));
}

/**
 * Encodes filtered rows as a PNG, deflating horizontal strips in parallel on the libuv
 * thread pool (the construction pigz uses): every strip is a raw deflate stream primed with
 * the previous strip's last 32 KiB as dictionary and ended with Z_SYNC_FLUSH (byte aligned,
 * no final block), the last one with Z_FINISH, so their concatenation is one deflate stream.
 * One zlib header before it and the Adler-32 of all the filtered data after it (computed here
 * while the pool deflates) make the zlib stream; each strip's output is one IDAT chunk with
 * its CRC-32 (zlib.crc32). Lossless: it decodes to exactly the given pixels.
 */
export async function encodePngRows(rows: PngRows, options: PngEncodeOptions): Promise<Buffer> {
  const { data, stride, height } = rows;
  const level = options.level;
  if (!Number.isInteger(level) || level < 0 || level > 9) throw new RangeError(`zlib level must be 0-9; got ${level}`);
  const strips = Math.max(1, Math.min(height, options.strips ?? defaultStrips(data.length)));
  const pending: Promise<Buffer>[] = [];
  for (let s = 0; s < strips; s++) {
    const start = Math.floor((s * height) / strips) * stride;
    const end = Math.floor(((s + 1) * height) / strips) * stride;
    const last = s === strips - 1;
    pending.push(deflateStrip(data, start, end, level, last));
  }
  const adler = adler32(data);
  return assemblePng(rows, level, await Promise.all(pending), adler);
}

/** The file: signature, IHDR, one IDAT per deflated strip (zlib header first, Adler-32 last), IEND. */
function assemblePng(
  rows: { width: number; height: number; channels: PngChannels },
  level: number,
  parts: Buffer[],
  adler: number,
): Buffer {
  const chunkBytes = parts.reduce((sum, p) => sum + 12 + p.length, 0);
  const out = Buffer.allocUnsafe(SIGNATURE.length + 25 + chunkBytes + 2 + 4 + 12);
  SIGNATURE.copy(out, 0);
  let o = SIGNATURE.length;
  const chunk = (type: string, length: number, write: (at: number) => void) => {
    out.writeUInt32BE(length, o);
    out.write(type, o + 4, 'latin1');
    write(o + 8);
    out.writeUInt32BE(crc32(out.subarray(o + 4, o + 8 + length)), o + 8 + length);
    o += 12 + length;
  };
  chunk('IHDR', 13, (at) => {
    out.writeUInt32BE(rows.width, at);
    out.writeUInt32BE(rows.height, at + 4);
    out[at + 8] = 8; // bit depth
    out[at + 9] = COLOUR_TYPE[rows.channels];
    out[at + 10] = 0; // deflate
    out[at + 11] = 0; // adaptive filtering (per-row filter bytes)
    out[at + 12] = 0; // no interlace
  });
  parts.forEach((part, s) => {
    const head = s === 0 ? 2 : 0;
    const tail = s === parts.length - 1 ? 4 : 0;
    chunk('IDAT', head + part.length + tail, (at) => {
      if (head) {
        // zlib header: deflate, 32 KiB window, FLEVEL from the level, FCHECK making it a multiple of 31.
        const cmf = 0x78;
        const flevel = level < 2 ? 0 : level < 6 ? 1 : level === 6 ? 2 : 3;
        const flg = flevel << 6;
        out[at] = cmf;
        out[at + 1] = flg + ((31 - ((cmf * 256 + flg) % 31)) % 31);
      }
      part.copy(out, at + head);
      if (tail) out.writeUInt32BE(adler, at + head + part.length);
    });
  });
  chunk('IEND', 0, () => undefined);
  return out;
}

/** Deflates one strip of filtered data on the thread pool; a later strip is primed with the 32 KiB before it. */
function deflateStrip(data: Buffer, start: number, end: number, level: number, last: boolean): Promise<Buffer> {
  return deflateRawAsync(data.subarray(start, end), {
    level,
    // One output buffer the size of the input: the pool thread deflates the strip in one go (16 KiB chunks mean a main-thread round trip each).
    chunkSize: Math.max(64 * 1024, end - start + 1024),
    finishFlush: last ? constants.Z_FINISH : constants.Z_SYNC_FLUSH,
    ...(start > 0 ? { dictionary: data.subarray(Math.max(0, start - WINDOW), start) } : {}),
  });
}

/**
 * Least filtered bytes per strip of a PngStripEncoder: strips are deflated while the rows below
 * them are still being written, so they are smaller than encodePngRows' (one per core).
 */
export const STREAM_STRIP_BYTES = 512 * 1024;

/**
 * Encodes a PNG while its rows are written: the writer fills raw pixels (at `rows.offset(y)`)
 * top to bottom and calls `rowsWritten(y)` now and then; each call filters the new rows with Up
 * (against a copy of the last raw row, so top to bottom in place), adds them to the Adler-32 and
 * hands every complete strip to the thread pool, so deflating overlaps writing the rows below.
 * `finish()` deflates the rest and assembles the file (the same stream construction as
 * encodePngRows). Lossless: it decodes to exactly the written pixels.
 */
export class PngStripEncoder {
  readonly rows: PngRows;
  private readonly previous: Uint8Array;
  private readonly parts: Promise<Buffer>[] = [];
  private readonly stripRows: number;
  private filtered = 0;
  private deflated = 0;
  private adler = 1;

  constructor(
    width: number,
    height: number,
    channels: PngChannels,
    private readonly level: number,
    stripBytes = STREAM_STRIP_BYTES,
  ) {
    if (!Number.isInteger(level) || level < 0 || level > 9) throw new RangeError(`zlib level must be 0-9; got ${level}`);
    this.rows = new PngRows(width, height, channels);
    this.previous = new Uint8Array(this.rows.stride);
    this.stripRows = Math.max(1, Math.ceil(stripBytes / this.rows.stride));
  }

  /** Rows below `upTo` hold their final raw pixels: filter them and start deflating the strips they complete. */
  rowsWritten(upTo: number): void {
    const { data, stride, height } = this.rows;
    const to = Math.min(height, upTo);
    if (to <= this.filtered) return;
    const previous = this.previous;
    for (let y = this.filtered; y < to; y++) {
      const row = y * stride;
      data[row] = 2; // Up
      for (let k = 1, i = row + 1; k < stride; k++, i++) {
        const raw = data[i];
        data[i] = (raw - previous[k]) & 0xff;
        previous[k] = raw;
      }
    }
    this.adler = adler32(data.subarray(this.filtered * stride, to * stride), this.adler);
    this.filtered = to;
    // Complete strips go now; the one that ends the image (Z_FINISH) waits for finish().
    while (this.filtered - this.deflated >= this.stripRows && this.deflated + this.stripRows < height)
      this.deflateNext(this.deflated + this.stripRows);
  }

  /** Every row written: filters what is left, deflates the last strip and assembles the file. */
  async finish(): Promise<Buffer> {
    this.rowsWritten(this.rows.height);
    if (this.deflated < this.rows.height) this.deflateNext(this.rows.height);
    return assemblePng(this.rows, this.level, await Promise.all(this.parts), this.adler);
  }

  private deflateNext(to: number): void {
    const { data, stride, height } = this.rows;
    this.parts.push(deflateStrip(data, this.deflated * stride, to * stride, this.level, to === height));
    this.deflated = to;
  }
}
