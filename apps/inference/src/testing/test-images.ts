import type { TestImageFormat } from '@cutout/testing';
import sharp from 'sharp';

// The images every app's tests use live in the shared testing library; the inference service's own builders follow.
export { aPixelBombPng, alphaOf, anSvgImage } from '@cutout/testing';

/** A black image with a white square in the middle: the tiny model's foreground is the square. */
export async function aSquareImage({ width = 200, height = 100, square = 40, format = 'png' as TestImageFormat } = {}): Promise<Buffer> {
  const white = await sharp({ create: { width: square, height: square, channels: 3, background: '#ffffff' } })
    .png()
    .toBuffer();
  return sharp({ create: { width, height, channels: 3, background: '#000000' } })
    .composite([{ input: white, left: Math.round((width - square) / 2), top: Math.round((height - square) / 2) }])
    .toFormat(format)
    .toBuffer();
}
