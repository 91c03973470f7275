import { open, stat } from 'node:fs/promises';
import path from 'node:path';

export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp';

/** A local problem with an input file, reported with a client-side code. */
export class InputFileError extends Error {
  override readonly name = 'InputFileError';
  constructor(
    readonly code: 'FILE_NOT_FOUND' | 'UNSUPPORTED_IMAGE' | 'FILE_UNREADABLE',
    message: string,
  ) {
    super(message);
  }
}

const EXTENSIONS: Record<string, ImageType> = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp' };

/** The image type from the first bytes (JPEG, PNG or WebP), or null. */
export function sniffImageType(head: Uint8Array): ImageType | null {
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return null;
}

/**
 * Checks that `file` exists and is a JPEG, PNG or WebP image. The first bytes decide (a PNG
 * named .jpg is fine); the extension only makes the message clearer. Returns the content type.
 */
export async function checkImageFile(file: string): Promise<ImageType> {
  const info = await stat(file).catch(() => null);
  if (!info) throw new InputFileError('FILE_NOT_FOUND', `no such file`);
  if (!info.isFile()) throw new InputFileError('FILE_UNREADABLE', `not a regular file`);
  const head = Buffer.alloc(12);
  let read = 0;
  try {
    const handle = await open(file, 'r');
    try {
      read = (await handle.read(head, 0, 12, 0)).bytesRead;
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new InputFileError('FILE_UNREADABLE', `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const sniffed = sniffImageType(head.subarray(0, read));
  const byExtension = EXTENSIONS[path.extname(file).toLowerCase()];
  if (!sniffed) {
    const why = byExtension ? `its content is not ${byExtension.slice(6).toUpperCase()}` : 'only JPEG, PNG and WebP images are supported';
    throw new InputFileError('UNSUPPORTED_IMAGE', `not a JPEG, PNG or WebP image (${why})`);
  }
  return sniffed;
}
