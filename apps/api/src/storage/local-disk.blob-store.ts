import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertSafeBlobKey, assertSafeBlobPrefix, BlobNotFoundError, BlobStore } from './blob-store';

/** Blobs as files under a folder (default <DATA_DIR>/blobs); written to a temp file, then renamed. */
export class LocalDiskBlobStore extends BlobStore {
  constructor(private readonly root: string) {
    super();
  }

  private file(key: string): string {
    assertSafeBlobKey(key);
    return path.join(this.root, key);
  }

  async put(key: string, body: Readable): Promise<number> {
    const target = this.file(key);
    await fsp.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    const temp = `${target}.${randomUUID()}.partial`;
    let bytes = 0;
    body.on('data', (chunk: Buffer) => (bytes += chunk.length));
    try {
      await pipeline(body, fs.createWriteStream(temp, { mode: 0o600, flags: 'wx' }));
      await fsp.rename(temp, target);
    } catch (error) {
      await fsp.rm(temp, { force: true });
      throw error;
    }
    return bytes;
  }

  async get(key: string): Promise<Readable> {
    const file = this.file(key);
    try {
      await fsp.access(file);
    } catch {
      throw new BlobNotFoundError(key);
    }
    return fs.createReadStream(file);
  }

  async delete(key: string): Promise<void> {
    await fsp.rm(this.file(key), { force: true });
  }

  async deletePrefix(prefix: string): Promise<number> {
    assertSafeBlobPrefix(prefix);
    const folder = path.join(this.root, prefix);
    const entries = await fsp.readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
    const blobs = entries.filter((e) => e.isFile() && !e.name.endsWith('.partial')).length;
    await fsp.rm(folder, { recursive: true, force: true });
    return blobs;
  }

  async exists(key: string): Promise<boolean> {
    return fsp.access(this.file(key)).then(
      () => true,
      () => false,
    );
  }
}
