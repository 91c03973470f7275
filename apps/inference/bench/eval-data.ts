import { readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import sharp from 'sharp';

export interface EvalItem {
  name: string;
  image: string;
  mask: string;
}

const IMAGE_EXT = new Set(['.png', '.jpg', '.jpeg', '.webp', '.tif', '.tiff', '.bmp', '.avif']);
const stem = (f: string) => basename(f, extname(f));

/** Pairs image and mask files by name without extension (see ../shared/eval/README.md). */
export function evalPairs(imagesDir: string, masksDir: string): EvalItem[] {
  const masks = new Map(
    readdirSync(masksDir)
      .filter((f) => IMAGE_EXT.has(extname(f).toLowerCase()))
      .map((f) => [stem(f), join(masksDir, f)]),
  );
  return readdirSync(imagesDir)
    .filter((f) => IMAGE_EXT.has(extname(f).toLowerCase()) && masks.has(stem(f)))
    .sort()
    .map((f) => ({ name: stem(f), image: join(imagesDir, f), mask: masks.get(stem(f)) as string }));
}

export interface Plane {
  data: Uint8Array;
  width: number;
  height: number;
}

/** The human-made mask as one 8-bit plane. */
export async function readMask(path: string): Promise<Plane> {
  const { data, info } = await sharp(readFileSync(path)).greyscale().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** The service's `type: 'mask'` PNG (one 8-bit grey channel, lossless) as a plane. */
export async function serviceMask(png: Buffer): Promise<Plane> {
  const meta = await sharp(png).metadata();
  if (meta.channels !== 1 || meta.depth !== 'uchar')
    throw new Error(`the service's mask is ${meta.channels} channels of ${meta.depth}, expected 1 of uchar`);
  // sharp hands out sRGB (3 bands) unless told otherwise; 'b-w' keeps the one band, values unchanged.
  const { data, info } = await sharp(png).toColourspace('b-w').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/**
 * Both predictions reach the scorer the same way: an 8-bit plane at the mask's own size, taken
 * as it is (no re-encoding, no resize: a size mismatch is an error, not something to hide).
 */
export function sameSize(pred: Plane, mask: Plane, who: string): Uint8Array {
  if (pred.width !== mask.width || pred.height !== mask.height)
    throw new Error(`${who}: ${pred.width}x${pred.height} prediction for a ${mask.width}x${mask.height} mask`);
  return pred.data;
}
