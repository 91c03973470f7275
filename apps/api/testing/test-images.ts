import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';

/** A photo-like test image: a bright disc (the subject) on a dark background. */
export async function aSubjectImage(format: 'png' | 'jpeg' | 'webp' = 'png', width = 320, height = 240): Promise<Buffer> {
  const svg = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#203040"/>` +
      `<circle cx="${width / 2}" cy="${height / 2}" r="${Math.min(width, height) / 3}" fill="#f0c020"/></svg>`,
  );
  return sharp(svg)[format]().toBuffer();
}

/** A PNG of random pixels: it barely compresses, so its cut-out spans several 64 KiB blob segments. */
export async function aNoisyImage(width = 320, height = 240): Promise<Buffer> {
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A valid PNG header claiming width×height pixels with (almost) no data: a pixel bomb of a few bytes. */
export function aPixelBombPng(width = 30_000, height = 30_000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])), chunk('IEND', Buffer.alloc(0))]);
}

/** A real PNG cut short: the header decodes, the pixels do not. */
export async function aTruncatedPng(): Promise<Buffer> {
  const full = await aSubjectImage('png', 640, 480);
  return full.subarray(0, Math.floor(full.length / 2));
}

/**
 * A PNG of random pixels (incompressible, stored without compression) of at most `maxBytes`
 * bytes and about one pixel row (3 × width bytes) short of it: a real image of just that size.
 */
export async function aNoisePng(maxBytes: number, width = 1024): Promise<Buffer> {
  const rowBytes = width * 3 + 1;
  let height = Math.floor(maxBytes / rowBytes);
  for (;;) {
    const png = await sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
    if (png.length <= maxBytes) return png;
    height -= Math.ceil((png.length - maxBytes) / rowBytes);
  }
}
