import sharp from 'sharp';
import { PNG_SIGNATURE, aNoisyImage, aPixelBombPng, aSubjectImage, aTruncatedPng, alphaOf, anSvgImage, pngChunk, truncated } from './index';

describe('PNG bytes', () => {
  it('writes a chunk as length, type, data and the CRC-32 of type and data', () => {
    // The IEND chunk is the same in every PNG file: its CRC is the well-known AE 42 60 82.
    expect(pngChunk('IEND').toString('hex')).toBe('0000000049454e44ae426082');
    const chunk = pngChunk('tEXt', Buffer.from('a\0b'));
    expect(chunk.readUInt32BE(0)).toBe(3);
    expect(chunk.subarray(4, 11).toString('latin1')).toBe('tEXta\0b');
    expect(chunk.length).toBe(4 + 4 + 3 + 4);
  });

  it('builds a pixel bomb: a few hundred bytes whose header claims 30000x30000 pixels', async () => {
    const bomb = aPixelBombPng();
    expect(bomb.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(bomb.length).toBeLessThan(1024);
    expect(await sharp(bomb, { limitInputPixels: false }).metadata()).toMatchObject({ format: 'png', width: 30_000, height: 30_000 });
    await expect(sharp(bomb).raw().toBuffer()).rejects.toThrow(/pixel limit/i);
  });
});

describe('test images', () => {
  it.each(['png', 'jpeg', 'webp'] as const)('a subject image in %s decodes at the size asked for', async (format) => {
    expect(await sharp(await aSubjectImage(format, 64, 48)).metadata()).toMatchObject({ format, width: 64, height: 48 });
  });

  it('a noisy image barely compresses and differs each time', async () => {
    const [a, b] = [await aNoisyImage(100, 100), await aNoisyImage(100, 100)];
    expect(a.length).toBeGreaterThan(100 * 100 * 3 * 0.9);
    expect(a.equals(b)).toBe(false);
  });

  it('a truncated PNG has a readable header and undecodable pixels', async () => {
    const png = await aTruncatedPng();
    expect(await sharp(png).metadata()).toMatchObject({ format: 'png', width: 640, height: 480 });
    await expect(sharp(png).raw().toBuffer()).rejects.toThrow();
    expect(truncated(Buffer.from('abcdef')).toString()).toBe('abc');
  });

  it('an SVG is an SVG', async () => {
    expect((await sharp(anSvgImage()).metadata()).format).toBe('svg');
  });

  it('alphaOf reads the alpha channel of an image with one, the first (grey) channel otherwise', async () => {
    const rgba = await sharp({ create: { width: 3, height: 2, channels: 4, background: { r: 255, g: 0, b: 0, alpha: 0.5 } } })
      .png()
      .toBuffer();
    expect(await alphaOf(rgba)).toEqual({ data: Buffer.alloc(6, 128), width: 3, height: 2, channels: 4 });
    const opaque = await sharp({ create: { width: 3, height: 2, channels: 3, background: { r: 7, g: 7, b: 7 } } })
      .png()
      .toBuffer();
    expect(await alphaOf(opaque)).toEqual({ data: Buffer.alloc(6, 7), width: 3, height: 2, channels: 3 });
  });
});
