import { randomBytes } from 'node:crypto';
import sharp from 'sharp';

export type TestImageFormat = 'png' | 'jpeg' | 'webp';

/** A photo-like test image: a bright disc (the subject) on a dark background. */
export async function aSubjectImage(format: TestImageFormat = 'png', width = 320, height = 240): Promise<Buffer> {
  const svg = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#203040"/>` +
      `<circle cx="${width / 2}" cy="${height / 2}" r="${Math.min(width, height) / 3}" fill="#f0c020"/></svg>`,
  );
  return sharp(svg)[format]().toBuffer();
}

/** A PNG of random pixels: it barely compresses, so the file is about as large as its pixels (3 bytes each). */
export async function aNoisyImage(width = 320, height = 240): Promise<Buffer> {
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/** The first half of an encoded image: its header decodes, its pixels do not. */
export function truncated(image: Buffer): Buffer {
  return image.subarray(0, Math.floor(image.length / 2));
}

/** A real PNG cut short: the header decodes, the pixels do not. */
export async function aTruncatedPng(): Promise<Buffer> {
  return truncated(await aSubjectImage('png', 640, 480));
}

/** A small SVG: a format the services do not accept. */
export const anSvgImage = (): Buffer =>
  Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>');

/** Decoded alpha (or grey) channel of an encoded image, with its size. */
export async function alphaOf(image: Buffer): Promise<{ data: Buffer; width: number; height: number; channels: number }> {
  const meta = await sharp(image).metadata();
  const { data, info } = await sharp(image)
    .extractChannel((meta.channels === 4 ? 3 : meta.channels === 2 ? 1 : 0) as 0 | 1 | 3)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: meta.channels ?? 0 };
}
