import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

/** A black image with a white square in the middle: the tiny model's foreground is the square. */
export async function aSquareImage({ width = 200, height = 100, square = 40, format = 'png' as 'png' | 'jpeg' | 'webp' } = {}): Promise<Buffer> {
  const white = await sharp({ create: { width: square, height: square, channels: 3, background: '#ffffff' } })
    .png()
    .toBuffer();
  return sharp({ create: { width, height, channels: 3, background: '#000000' } })
    .composite([{ input: white, left: Math.round((width - square) / 2), top: Math.round((height - square) / 2) }])
    .toFormat(format)
    .toBuffer();
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/** A PNG whose header claims width x height pixels, a few hundred bytes long (a "pixel bomb"). */
export function aPixelBombPng(width = 30_000, height = 30_000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const rows = deflateSync(Buffer.alloc((width + 1) * 4)); // a few rows of zeros
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr), pngChunk('IDAT', rows), pngChunk('IEND', Buffer.alloc(0))]);
}

export const anSvgImage = (): Buffer => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>');

/** Decoded alpha (or grey) channel of an encoded image, with its size. */
export async function alphaOf(image: Buffer): Promise<{ data: Buffer; width: number; height: number; channels: number }> {
  const meta = await sharp(image).metadata();
  const { data, info } = await sharp(image)
    .extractChannel((meta.channels === 4 ? 3 : meta.channels === 2 ? 1 : 0) as 0 | 1 | 3)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: meta.channels ?? 0 };
}
