import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  assertSafeBlobKey,
  assertSafeBlobPrefix,
  BlobNotFoundError,
  type BlobPage,
  BlobStore,
  isSafeBlobKey,
  type ListedBlob,
} from './blob-store';

/**
 * Blobs as files under a folder (default <DATA_DIR>/blobs); written to a temp file, then renamed.
 * A listing shows the temp files too (`<key>.<uuid>.partial`, their mtime moving while they are
 * written): one a process left as it died holds a blob's bytes as much as a blob does.
 */
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

  async list(prefix: string, { after, limit }: { after?: string; limit: number }): Promise<BlobPage> {
    assertSafeBlobPrefix(prefix);
    const blobs: ListedBlob[] = [];
    await this.walk(prefix, after, limit, blobs);
    return { blobs, next: blobs.length >= limit ? blobs.at(-1)?.key : undefined };
  }

  /**
   * Depth first through `folder` (a key ending in "/"), adding files after `after` to `found` until
   * it holds `limit`. Siblings are visited in the order of their keys, a folder's with its "/", so
   * the walk yields whole keys in byte order (as S3 lists them); a folder whose keys all come before
   * `after` is not entered.
   */
  private async walk(folder: string, after: string | undefined, limit: number, found: ListedBlob[]): Promise<void> {
    const entries = await fsp.readdir(path.join(this.root, folder), { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return [];
      throw error;
    });
    const named = entries
      .filter((e) => e.isFile() || e.isDirectory())
      .map((e) => ({ key: `${folder}${e.name}${e.isDirectory() ? '/' : ''}`, folder: e.isDirectory() }))
      .filter((e) => isSafeBlobKey(e.folder ? e.key.slice(0, -1) : e.key))
      .sort((a, b) => (a.key < b.key ? -1 : 1));
    for (const entry of named) {
      if (found.length >= limit) return;
      if (entry.folder) {
        if (after === undefined || after < entry.key || after.startsWith(entry.key)) await this.walk(entry.key, after, limit, found);
      } else if (after === undefined || entry.key > after) {
        // A file deleted since the folder was read is simply not listed.
        const stat = await fsp.stat(path.join(this.root, entry.key)).catch(() => null);
        if (stat?.isFile()) found.push({ key: entry.key, lastModified: stat.mtime });
      }
    }
  }
}
