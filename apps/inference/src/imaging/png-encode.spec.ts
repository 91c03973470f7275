import { crc32, deflateSync, inflateSync } from 'node:zlib';
import { toOutputOptions } from '@cutout/inference-contract';
import sharp from 'sharp';
import { assertEncodable, composeAndEncode } from './compose-output';
import { decontaminate, decontaminateBox } from './foreground-estimation';
import { stopImagingWorkers, workerFallbacks } from './imaging-workers';
import { subjectBox } from './mask';
import { largeBuffers } from './buffer-pool';
import { filterRowUp, PngRows, PngStripEncoder, type PngChannels } from './png-encode';
import { parseRemoveOptions } from './remove-options';

/** Deterministic pseudo-random bytes with some structure (a gradient plus noise), like a photo. */
function pixels(width: number, height: number, channels: number, seed = 1): Buffer {
  const out = Buffer.allocUnsafe(width * height * channels);
  let s = seed;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < channels; c++) {
        s = (s * 1103515245 + 12345) >>> 0;
        out[(y * width + x) * channels + c] = (x * 3 + y * 5 + c * 70 + ((s >>> 16) & 15)) & 0xff;
      }
  return out;
}

/** Reference: PNG filter Up (type 2) over tightly packed rows, each row prefixed with its filter byte. */
function filterUpReference(px: Uint8Array, width: number, height: number, channels: number): Buffer {
  const rowBytes = width * channels;
  const out = Buffer.alloc((rowBytes + 1) * height);
  for (let y = 0; y < height; y++) {
    out[y * (rowBytes + 1)] = 2;
    for (let x = 0; x < rowBytes; x++)
      out[y * (rowBytes + 1) + 1 + x] = (px[y * rowBytes + x] - (y > 0 ? px[(y - 1) * rowBytes + x] : 0)) & 0xff;
  }
  return out;
}

/** Pushes packed pixel rows from..to to the encoder, one by one. */
function push(encoder: PngStripEncoder, px: Uint8Array, from: number, to: number): void {
  const rowBytes = encoder.row.length;
  for (let y = from; y < to; y++) {
    encoder.row.set(px.subarray(y * rowBytes, (y + 1) * rowBytes));
    encoder.pushRow();
  }
}

/** Encodes packed pixels with PngStripEncoder, every row pushed. */
async function encodePixels(px: Uint8Array, width: number, height: number, channels: PngChannels, level = 1, stripBytes?: number) {
  const encoder = new PngStripEncoder(width, height, channels, level, stripBytes);
  push(encoder, px, 0, height);
  return encoder.finish();
}

/** The PNG's chunks, each with its CRC checked. */
function chunks(png: Buffer): { type: string; data: Buffer }[] {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const out: { type: string; data: Buffer }[] = [];
  for (let o = 8; o < png.length;) {
    const length = png.readUInt32BE(o);
    const type = png.toString('latin1', o + 4, o + 8);
    expect(png.readUInt32BE(o + 8 + length)).toBe(crc32(png.subarray(o + 4, o + 8 + length)));
    out.push({ type, data: png.subarray(o + 8, o + 8 + length) });
    o += 12 + length;
  }
  return out;
}

/** Decoded pixels with the PNG's own channel count (sharp would turn grey into sRGB otherwise). */
async function decode(png: Buffer) {
  const { channels } = await sharp(png).metadata();
  const image = sharp(png);
  const { data, info } = await (channels === 1 ? image.toColourspace('b-w') : image).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels };
}

describe('png-encode', () => {
  /** filterRowUp over `raw` below `above` (packed bytes, padded to words) at an odd offset: the bytes written and the checksum. */
  const filterRow = (raw: Uint8Array, above: Uint8Array, adler = 1) => {
    const words = (raw.length + 3) >> 2;
    const r = new Uint32Array(words);
    const a = new Uint32Array(words);
    new Uint8Array(r.buffer).set(raw);
    new Uint8Array(a.buffer).set(above);
    const out = Buffer.alloc(raw.length + 3, 0xee);
    const sum = filterRowUp(new DataView(out.buffer, out.byteOffset, out.length), 1, r, a, raw.length, adler);
    return { out, sum };
  };
  /** The Adler-32 zlib writes at the end of a zlib stream of `data`. */
  const zlibAdler = (data: Uint8Array) => {
    const z = deflateSync(data);
    return z.readUInt32BE(z.length - 4);
  };

  it('filters a row with Up four bytes at a time: the byte above subtracted mod 256, every row length 1-13, nothing written past the row', () => {
    for (let n = 1; n <= 13; n++) {
      const raw = pixels(n, 1, 1, n);
      const above = pixels(n, 1, 1, 100 + n).reverse();
      // Equal words take their own path: make the first word equal to the one above.
      above.set(raw.subarray(0, Math.min(4, n)));
      const { out, sum } = filterRow(raw, above);
      const expected = [2, ...[...raw].map((v, k) => (v - above[k]) & 0xff)];
      expect([...out.subarray(1, n + 2)]).toEqual(expected);
      expect(out[0]).toBe(0xee);
      expect(out[n + 2]).toBe(0xee);
      expect(sum).toBe(zlibAdler(Buffer.from(expected)));
    }
  });

  it('continues the Adler-32 across rows as zlib computes it, also over a long row of 255s that needs the sums reduced', () => {
    const first = pixels(4001, 1, 4, 1);
    const second = pixels(4001, 1, 4, 2);
    const ones = Buffer.alloc(100_003, 255);
    const a = filterRow(first, new Uint8Array(first.length));
    const b = filterRow(second, first, a.sum);
    // 255s below zeros: every filtered byte is 255 (the largest sums).
    const c = filterRow(ones, new Uint8Array(ones.length), b.sum);
    expect(c.out.subarray(2, ones.length + 2).every((v) => v === 255)).toBe(true);
    const filtered = [a, b, c].map((r, k) => r.out.subarray(1, [first, second, ones][k].length + 2));
    expect(c.sum).toBe(zlibAdler(Buffer.concat(filtered)));
  });

  it('filters rows with Up: the first row kept, each later byte minus the byte above (mod 256)', async () => {
    const png = await encodePixels(Buffer.from([10, 20, 30, 5, 25, 40, 200, 0, 40]), 3, 3, 1);
    const stream = Buffer.concat(
      chunks(png)
        .filter((c) => c.type === 'IDAT')
        .map((c) => c.data),
    );
    expect([...inflateSync(stream)]).toEqual([2, 10, 20, 30, 2, 251, 5, 10, 2, 195, 231, 0]);
  });

  it.each<[string, number, number, PngChannels, number | undefined]>([
    ['RGBA', 64, 48, 4, undefined],
    ['RGB', 33, 17, 3, 400],
    ['grey', 101, 37, 1, 800],
    ['1x1 RGBA', 1, 1, 4, undefined],
    ['1x1 grey', 1, 1, 1, 1],
    ['odd width, one row, strips smaller than a row', 7, 1, 3, 8],
    ['odd width, strips of one row', 13, 9, 4, 1],
  ])(
    '%s (%ix%i, %i channels, strips of %s bytes): decodes to exactly the pixels, as sharp decodes its own PNG',
    async (_, w, h, ch, stripBytes) => {
      const px = pixels(w, h, ch);
      const ours = await encodePixels(px, w, h, ch, 1, stripBytes);
      const theirs = await sharp(px, { raw: { width: w, height: h, channels: ch } })
        .toColourspace(ch === 1 ? 'b-w' : 'srgb')
        .png({ compressionLevel: 3, adaptiveFiltering: false })
        .toBuffer();
      const a = await decode(ours);
      const b = await decode(theirs);
      expect({ width: a.width, height: a.height, channels: a.channels }).toEqual({ width: w, height: h, channels: ch });
      expect(a.data.equals(px)).toBe(true);
      expect(a.data.equals(b.data)).toBe(true);
    },
  );

  it('large image in parallel strips: IHDR, one IDAT per strip (zlib header first, Adler-32 last), IEND, valid zlib stream', async () => {
    const w = 1531;
    const h = 1024;
    const px = pixels(w, h, 4, 7);
    const stride = 1 + w * 4;
    const png = await encodePixels(px, w, h, 4, 3, stride * 256);
    const list = chunks(png);
    expect(list.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IDAT', 'IDAT', 'IDAT', 'IEND']);
    const ihdr = list[0].data;
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ...ihdr.subarray(8)]).toEqual([w, h, 8, 6, 0, 0, 0]);
    const stream = Buffer.concat(list.filter((c) => c.type === 'IDAT').map((c) => c.data));
    expect((stream[0] * 256 + stream[1]) % 31).toBe(0);
    // zlib itself checks the header, the deflate stream across strip boundaries and the Adler-32.
    expect(inflateSync(stream).equals(filterUpReference(px, w, h, 4))).toBe(true);
    expect((await decode(png)).data.equals(px)).toBe(true);
    // The strips' output equals the one-strip encoding's pixels, and the sizes stay close.
    const one = await encodePixels(px, w, h, 4, 3, stride * h);
    expect(chunks(one).filter((c) => c.type === 'IDAT')).toHaveLength(1);
    expect((await decode(one)).data.equals(px)).toBe(true);
    expect(png.length).toBeLessThan(one.length * 1.02);
  });

  it('refuses a zero size and a bad level', () => {
    expect(() => new PngRows(0, 1, 4)).toThrow(RangeError);
    expect(() => new PngStripEncoder(1, 1, 1, 10)).toThrow(RangeError);
  });
});

describe('PngStripEncoder (rows filtered and deflated while the rows below are pushed)', () => {
  it.each([
    ['RGBA, uneven batches across many strips', 211, 97, 4 as PngChannels, 4096, [1, 5, 6, 40, 41, 96, 97]],
    ['RGB, one batch', 64, 30, 3 as PngChannels, 1024, [30]],
    ['grey, strips of one row, rows one by one', 9, 7, 1 as PngChannels, 1, [1, 2, 3, 4, 5, 6, 7]],
    ['1x1 RGBA, nothing announced before finish', 1, 1, 4 as PngChannels, 4096, []],
  ])('%s: decodes to exactly the pixels; one IDAT per strip; the zlib stream checks out', async (_name, w, h, ch, stripBytes, batches) => {
    const px = pixels(w, h, ch, 11);
    const encoder = new PngStripEncoder(w, h, ch, 1, stripBytes);
    let done = 0;
    for (const to of batches) {
      push(encoder, px, done, to);
      done = to;
    }
    if (done < h) push(encoder, px, done, h);
    const png = await encoder.finish();
    const idats = chunks(png).filter((c) => c.type === 'IDAT');
    const stripRows = Math.max(1, Math.ceil(stripBytes / (1 + w * ch)));
    expect(idats).toHaveLength(Math.ceil(h / stripRows));
    // zlib checks the header, the stream across strips and the Adler-32; the data is Up-filtered rows.
    expect(inflateSync(Buffer.concat(idats.map((c) => c.data))).equals(filterUpReference(px, w, h, ch))).toBe(true);
    const d = await decode(png);
    expect([d.width, d.height, d.channels]).toEqual([w, h, ch]);
    expect(d.data.equals(px)).toBe(true);
  });

  it('refuses a row past the last, finishing before the last row, and a bad level or size', async () => {
    const px = pixels(50, 40, 4, 5);
    const encoder = new PngStripEncoder(50, 40, 4, 1, 2048);
    push(encoder, px, 0, 40);
    expect(() => encoder.pushRow()).toThrow(RangeError);
    expect((await decode(await encoder.finish())).data.equals(px)).toBe(true);
    const early = new PngStripEncoder(50, 40, 4, 1, 2048);
    push(early, px, 0, 39);
    await expect(early.finish()).rejects.toThrow('39 of 40 rows pushed');
    expect(() => new PngStripEncoder(4, 4, 4, 10)).toThrow(RangeError);
    expect(() => new PngStripEncoder(4, 4, 4, 1.5)).toThrow(RangeError);
    expect(() => new PngStripEncoder(0, 4, 4, 1)).toThrow(RangeError);
  });
});

describe('PngStripEncoder with a sink (the file streamed as its strips are deflated)', () => {
  const encodeBoth = async (w: number, h: number, ch: PngChannels, stripBytes: number, batches: number[]) => {
    const px = pixels(w, h, ch, 17);
    const received: Buffer[] = [];
    const streamed = new PngStripEncoder(w, h, ch, 1, stripBytes, (bytes) => received.push(bytes));
    const whole = new PngStripEncoder(w, h, ch, 1, stripBytes);
    let done = 0;
    const sentBeforeFinish: number[] = [];
    for (const to of [...batches, h]) {
      const before = received.length;
      push(streamed, px, done, to);
      push(whole, px, done, to);
      done = to;
      // Let the thread pool deflate what was handed to it: strips go out before finish is called. Up to 5 s for the
      // first part of a batch that completes strips (a fixed 20 ms was too short on a loaded 2-core CI machine).
      for (let waited = 0; to < h && received.length === before && waited < 5000; waited += 10) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 20));
      sentBeforeFinish.push(received.length);
    }
    const size = await streamed.finishStream();
    return { px, received, size, whole: await whole.finish(), sentBeforeFinish };
  };

  it('sends the same bytes as the assembled file, in parts, the first ones before finishStream()', async () => {
    const { px, received, size, whole, sentBeforeFinish } = await encodeBoth(211, 97, 4, 4096, [20, 60]);
    const joined = Buffer.concat(received);
    expect(joined.equals(whole)).toBe(true);
    expect(size).toBe(joined.length);
    // Parts: signature + IHDR + the first IDAT, one IDAT per later strip, IEND on its own.
    expect(received.length).toBe(chunks(whole).filter((c) => c.type === 'IDAT').length + 1);
    expect(received.at(-1)?.toString('latin1', 4, 8)).toBe('IEND');
    expect(sentBeforeFinish[0]).toBeGreaterThan(0);
    expect((await decode(joined)).data.equals(px)).toBe(true);
  });

  it('a one-strip image: one part with the header, the zlib header and the Adler-32, then IEND', async () => {
    const { px, received, whole } = await encodeBoth(9, 7, 1, 1 << 20, []);
    expect(received).toHaveLength(2);
    expect(Buffer.concat(received).equals(whole)).toBe(true);
    expect((await decode(Buffer.concat(received))).data.equals(px)).toBe(true);
  });

  it('reports a sink that throws from finishStream(), and each ending refuses the other kind of encoder', async () => {
    const failing = new PngStripEncoder(50, 40, 4, 1, 2048, () => {
      throw new Error('connection gone');
    });
    push(failing, pixels(50, 40, 4), 0, 40);
    await expect(failing.finishStream()).rejects.toThrow('connection gone');
    const streaming = new PngStripEncoder(4, 4, 4, 1, 2048, () => undefined);
    await expect(streaming.finish()).rejects.toThrow(/finishStream/);
    await expect(new PngStripEncoder(4, 4, 4, 1).finishStream()).rejects.toThrow(/sink/);
  });
});

describe('composeAndEncode PNG (composed straight into filtered rows)', () => {
  const w = 37;
  const h = 21;
  const rgb = { data: pixels(w, h, 3, 3), width: w, height: h };
  const alpha = new Uint8Array(w * h).map((_, i) => ((i % w) * 7) & 0xff);

  it('cut-out: RGBA with the image colours and the alpha, crop applied', async () => {
    const options = parseRemoveOptions(toOutputOptions({ decontaminate: false }));
    const out = await composeAndEncode(alpha, w, h, rgb, options);
    expect(out.mime).toBe('image/png');
    const d = await decode(out.image);
    expect([d.width, d.height, d.channels]).toEqual([w, h, 4]);
    for (let i = 0; i < w * h; i++) {
      const expected = alpha[i] === 0 ? [0, 0, 0, 0] : [...rgb.data.subarray(i * 3, i * 3 + 3), alpha[i]];
      expect([...d.data.subarray(i * 4, i * 4 + 4)]).toEqual(expected);
    }
    const cropped = await composeAndEncode(alpha, w, h, rgb, parseRemoveOptions(toOutputOptions({ decontaminate: false, crop: true })));
    // Columns 0-2 (alpha 0, 7, 14) are below the subject threshold (16): the crop drops them.
    expect([cropped.width, cropped.height]).toEqual([w - 3, h]);
    const c = await decode(cropped.image);
    expect([...c.data.subarray(0, 4)]).toEqual([...rgb.data.subarray(9, 12), alpha[3]]);
    expect([...c.data.subarray((w - 3) * 4, (w - 3) * 4 + 4)]).toEqual([...rgb.data.subarray((w + 3) * 3, (w + 4) * 3), alpha[w + 3]]);
  });

  it('with a sink: the same file in parts (image left empty, imageSize its length); WebP ignores the sink and comes whole', async () => {
    for (const decontaminate of [false, true]) {
      const options = parseRemoveOptions(toOutputOptions({ decontaminate }));
      const whole = await composeAndEncode(alpha, w, h, rgb, options);
      const parts: Buffer[] = [];
      const streamed = await composeAndEncode(alpha, w, h, rgb, options, undefined, { sink: (b) => parts.push(b) });
      expect(streamed).toMatchObject({ mime: 'image/png', width: w, height: h, imageSize: whole.image.length });
      expect(streamed.image).toHaveLength(0);
      expect(Buffer.concat(parts).equals(whole.image)).toBe(true);
    }
    const parts: Buffer[] = [];
    const webp = await composeAndEncode(alpha, w, h, rgb, parseRemoveOptions(toOutputOptions({ format: 'webp' })), undefined, {
      sink: (b) => parts.push(b),
    });
    expect(parts).toHaveLength(0);
    expect(webp.imageSize).toBe(webp.image.length);
    expect((await sharp(webp.image).metadata()).format).toBe('webp');
  });

  it('refuses a result its format cannot hold with IMAGE_TOO_LARGE (WebP 16383, JPG 65500 a side: libjpeg’s limit), after a crop too; PNG takes it', async () => {
    // Regression: sharp's encoder failed after all the work and the job ended INTERNAL_ERROR.
    const wide = 16400;
    const strip = { data: Buffer.alloc(wide * 2 * 3, 90), width: wide, height: 2 };
    const opaque = new Uint8Array(wide * 2).fill(255);
    const webp = parseRemoveOptions(toOutputOptions({ format: 'webp', crop: true }));
    await expect(composeAndEncode(opaque, wide, 2, strip, webp)).rejects.toMatchObject({ code: 'IMAGE_TOO_LARGE', message: /16383/ });
    const png = await composeAndEncode(opaque, wide, 2, strip, parseRemoveOptions(toOutputOptions({ crop: true, decontaminate: false })));
    expect([png.width, png.height]).toEqual([wide, 2]);
    // libjpeg refuses more than 65500 a side (not the 65535 its 16-bit fields could hold): 65501 failed in sharp's encoder.
    expect(() => assertEncodable('jpg', 65501, 1)).toThrow(/65500/);
    expect(() => assertEncodable('jpg', 40, 65501)).toThrow(/65500/);
    expect(() => assertEncodable('jpg', 65500, 1)).not.toThrow();
    expect(() => assertEncodable('webp', 16383, 16383)).not.toThrow();
  });

  it('fully transparent pixels carry no colour: the removed background is not left in the file (with or without decontamination)', async () => {
    // Regression: alpha 0 pixels kept the photo's colours, so dropping the alpha channel showed the background again.
    const transparent = [...alpha.keys()].filter((i) => alpha[i] === 0);
    expect(transparent.length).toBeGreaterThan(0);
    for (const decontaminate of [false, true]) {
      const d = await decode((await composeAndEncode(alpha, w, h, rgb, parseRemoveOptions(toOutputOptions({ decontaminate })))).image);
      for (const i of transparent) expect([...d.data.subarray(i * 4, i * 4 + 4)]).toEqual([0, 0, 0, 0]);
      // Partly transparent pixels keep a colour (here the photo's or its estimate), never zeroed.
      const partly = [...alpha.keys()].filter((i) => alpha[i] > 0 && alpha[i] < 255);
      expect(partly.some((i) => d.data[i * 4] + d.data[i * 4 + 1] + d.data[i * 4 + 2] > 0)).toBe(true);
    }
  });

  it('transparent runs of every length and offset: zero words where alpha and the row line up, pixel by pixel elsewhere, cropped or not', async () => {
    for (const W of [40, 37]) {
      const H = 12;
      const image = { data: pixels(W, H, 3, 5), width: W, height: H };
      // Runs of 0 of lengths 1-9 starting at every offset, between opaque and soft pixels.
      const a = new Uint8Array(W * H);
      for (let i = 0, run = 1; i < a.length; run = (run % 9) + 1) {
        for (const end = Math.min(a.length, i + run); i < end; i++) a[i] = 0;
        if (i < a.length) a[i++] = 255;
        if (i < a.length) a[i++] = 90 + (i % 100);
      }
      // Whole zero rows too, and the subject away from the left edge so that a crop starts off the word grid.
      a.fill(0, 3 * W, 5 * W);
      for (let y = 0; y < H; y++) a[y * W] = 0;
      for (const crop of [false, true]) {
        const out = await composeAndEncode(a, W, H, image, parseRemoveOptions(toOutputOptions({ decontaminate: false, crop })));
        const d = await decode(out.image);
        const left = W - out.width;
        let wrong = 0;
        for (let y = 0; y < out.height; y++)
          for (let x = 0; x < out.width; x++) {
            const i = y * W + x + left;
            const expected = a[i] === 0 ? [0, 0, 0, 0] : [image.data[i * 3], image.data[i * 3 + 1], image.data[i * 3 + 2], a[i]];
            if (expected.some((v, c) => d.data[(y * out.width + x) * 4 + c] !== v)) wrong++;
          }
        expect({ W, crop, height: out.height, left, wrong }).toEqual({ W, crop, height: H, left: crop ? 1 : 0, wrong: 0 });
      }
    }
  });

  it('a cut-out larger than one strip: every row right across the strip seams', async () => {
    const W = 700;
    const H = 410;
    const big = { data: pixels(W, H, 3, 9), width: W, height: H };
    const a = new Uint8Array(W * H).map((_, i) => (i * 13) % 256);
    const d = await decode((await composeAndEncode(a, W, H, big, parseRemoveOptions(toOutputOptions({ decontaminate: false })))).image);
    expect([d.width, d.height]).toEqual([W, H]);
    let wrong = 0;
    for (let i = 0; i < W * H; i++) {
      const expected = a[i] === 0 ? [0, 0, 0, 0] : [big.data[i * 3], big.data[i * 3 + 1], big.data[i * 3 + 2], a[i]];
      if (expected.some((v, c) => d.data[i * 4 + c] !== v)) wrong++;
    }
    expect(wrong).toBe(0);
  });

  it('back-to-back cut-outs of one size reuse pooled buffers without carrying pixels over', async () => {
    const W = 640;
    const H = 400;
    const alphaOf = (seed: number) => new Uint8Array(W * H).map((_, i) => ((i % W) * 3 + seed * 50 + (Math.floor(i / W) % 7)) % 256);
    const scenes = [1, 2, 3].map((seed) => ({ rgb: { data: pixels(W, H, 3, seed + 20), width: W, height: H }, alpha: alphaOf(seed) }));
    const held = largeBuffers.heldBytes;
    for (const decontaminate of [false, true])
      for (const { rgb: photo, alpha: a } of scenes) {
        const expectedColours = decontaminate
          ? decontaminateBox(photo.data, a, W, H, { left: 0, top: 0, width: W, height: H }).rgb
          : photo.data;
        const d = await decode((await composeAndEncode(a, W, H, photo, parseRemoveOptions(toOutputOptions({ decontaminate })))).image);
        let wrong = 0;
        for (let i = 0; i < W * H; i++) {
          const want = a[i] === 0 ? [0, 0, 0, 0] : [expectedColours[i * 3], expectedColours[i * 3 + 1], expectedColours[i * 3 + 2], a[i]];
          if (want.some((v, c) => d.data[i * 4 + c] !== v)) wrong++;
        }
        expect(wrong).toBe(0);
      }
    // The rows buffer (and the decontaminated crop) went back to the pool.
    expect(largeBuffers.heldBytes).toBeGreaterThan(held);
  });

  it('mask: 8-bit grey equal to the alpha; an opaque background: RGB, each pixel blended over it', async () => {
    const mask = await composeAndEncode(alpha, w, h, undefined, parseRemoveOptions(toOutputOptions({ type: 'mask' })));
    const m = await decode(mask.image);
    expect(m.channels).toBe(1);
    expect(m.data.equals(Buffer.from(alpha))).toBe(true);
    const bg = await composeAndEncode(alpha, w, h, rgb, parseRemoveOptions(toOutputOptions({ bgColor: '#123456', decontaminate: false })));
    const b = await decode(bg.image);
    expect(b.channels).toBe(3);
    const f = alpha[5] / 255;
    expect([...b.data.subarray(15, 18)]).toEqual([
      Math.floor(rgb.data[15] * f + 0x12 * (1 - f) + 0.5),
      Math.floor(rgb.data[16] * f + 0x34 * (1 - f) + 0.5),
      Math.floor(rgb.data[17] * f + 0x56 * (1 - f) + 0.5),
    ]);
  });
});

describe('composeAndEncode cut-out colours (decontaminated)', () => {
  afterAll(() => stopImagingWorkers());

  it('decontaminates on the threads it is given: 4 threads, 2 and this thread alone give the same colours', async () => {
    // Partly transparent almost everywhere (a diagonal ramp with a texture): a band large enough to be split.
    const [W, H] = [640, 480];
    const a = new Uint8Array(W * H);
    const photo = { data: Buffer.alloc(W * H * 3), width: W, height: H };
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const i = y * W + x;
        a[i] = Math.round((240 * (x + y)) / (W + H)) + 8;
        photo.data.set([(x * 3) & 255, (y * 5) & 255, (x + y) & 255], i * 3);
      }
    const options = parseRemoveOptions(toOutputOptions({}));
    const colours = async (imagingThreads: number) =>
      (await decode((await composeAndEncode(a, W, H, photo, options, undefined, { imagingThreads })).image)).data;
    const alone = await colours(1);
    const before = workerFallbacks();
    for (const threads of [4, 2]) {
      const split = await colours(threads);
      let worst = 0;
      for (let i = 0; i < alone.length; i++) worst = Math.max(worst, Math.abs(split[i] - alone[i]));
      expect(worst).toBeLessThanOrEqual(1);
    }
    // The workers did their windows (none fell back to this thread), and the colours were estimated at all.
    expect(workerFallbacks()).toBe(before);
    let changed = 0;
    for (let i = 0; i < W * H; i++) changed = Math.max(changed, Math.abs(alone[i * 4] - photo.data[i * 3]));
    expect(changed).toBeGreaterThan(16);
  });

  // A subject (alpha ramp to opaque) in the middle, the rest transparent over a blue background.
  const [w, h] = [120, 90];
  const alpha = new Uint8Array(w * h);
  const rgb = { data: Buffer.alloc(w * h * 3), width: w, height: h };
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const r = Math.hypot(x - 60, y - 45);
      alpha[i] = Math.round(255 * Math.min(1, Math.max(0, (30 - r) / 10)));
      const a = alpha[i] / 255;
      rgb.data.set([Math.round(a * 210 + (1 - a) * 20), Math.round(a * 40 + (1 - a) * 30), Math.round(a * 30 + (1 - a) * 220)], i * 3);
    }

  it('whole image: the colours of decontaminate', async () => {
    const out = await composeAndEncode(alpha, w, h, rgb, parseRemoveOptions(toOutputOptions({})));
    const d = await decode(out.image);
    const expected = decontaminate(rgb.data, alpha, w, h);
    for (let i = 0; i < w * h; i++)
      expect([...d.data.subarray(i * 4, i * 4 + 3)]).toEqual(alpha[i] === 0 ? [0, 0, 0] : [...expected.subarray(i * 3, i * 3 + 3)]);
  });

  it('cropped: only the crop is estimated (the colours of decontaminating the box alone)', async () => {
    const options = parseRemoveOptions(toOutputOptions({ crop: true, cropMargin: '2' }));
    const box = subjectBox(alpha, w, h, options.cropMargin);
    if (!box) throw new Error('no subject');
    expect(box.width).toBeLessThan(w);
    const out = await composeAndEncode(alpha, w, h, rgb, options);
    expect([out.width, out.height]).toEqual([box.width, box.height]);
    const d = await decode(out.image);
    const expected = decontaminateBox(rgb.data, alpha, w, h, box).rgb;
    for (let y = 0; y < box.height; y++)
      for (let x = 0; x < box.width; x++) {
        const o = y * box.width + x;
        const i = (box.top + y) * w + box.left + x;
        expect([...d.data.subarray(o * 4, o * 4 + 4)]).toEqual(
          alpha[i] === 0 ? [0, 0, 0, 0] : [...expected.subarray(o * 3, o * 3 + 3), alpha[i]],
        );
      }
  });
});
