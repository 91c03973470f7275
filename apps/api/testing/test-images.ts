import { randomBytes } from 'node:crypto';
import sharp from 'sharp';

// The images every app's tests use live in the shared testing library; the API's own builders follow.
export { aNoisyImage, aPixelBombPng, aSubjectImage, aTruncatedPng } from '@cutout/testing';

/**
 * A PNG of random pixels (incompressible, stored without compression) of at most `maxBytes`
 * bytes and about one pixel row (3 × width bytes) short of it: a real image of just that size.
 */
export async function aNoisePng(maxBytes: number, width = 1024): Promise<Buffer> {
  const rowBytes = width * 3 + 1;
  let height = Math.floor(maxBytes / rowBytes);
  for (;;) {
    const png = await sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    if (png.length <= maxBytes) return png;
    height -= Math.ceil((png.length - maxBytes) / rowBytes);
  }
}
