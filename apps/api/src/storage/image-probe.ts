import sharp from 'sharp';
import { imageTooLarge, unsupportedImage } from '../common/errors/app-error';

export type ImageContentType = 'image/jpeg' | 'image/png' | 'image/webp';
export const ACCEPTED_CONTENT_TYPES: readonly ImageContentType[] = ['image/jpeg', 'image/png', 'image/webp'];

/** The type the bytes really are (magic numbers), whatever the client declared. */
export function sniffImageType(bytes: Buffer): ImageContentType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return null;
}

export interface ImageInfo {
  contentType: ImageContentType;
  width: number;
  height: number;
  bytes: number;
}

/**
 * Checks that the bytes are an accepted image whose header decodes and whose pixel count
 * is within the limit (pixel bombs are refused from the header alone, before decoding).
 */
export async function probeImage(bytes: Buffer, maxMegapixels: number): Promise<ImageInfo> {
  const contentType = sniffImageType(bytes);
  if (!contentType) throw unsupportedImage('The file is not a JPEG, PNG or WebP image.');
  let width: number | undefined;
  let height: number | undefined;
  try {
    const meta = await sharp(bytes, { limitInputPixels: false, failOn: 'none' }).metadata();
    width = meta.autoOrient?.width ?? meta.width;
    height = meta.autoOrient?.height ?? meta.height;
  } catch {
    throw unsupportedImage('The image could not be read: it is corrupt or truncated.');
  }
  if (!width || !height) throw unsupportedImage('The image has no dimensions.');
  if (width * height > maxMegapixels * 1_000_000) {
    throw imageTooLarge(`The image has ${((width * height) / 1e6).toFixed(1)} megapixels; the limit is ${maxMegapixels}.`);
  }
  return { contentType, width, height, bytes: bytes.length };
}
