import { Readable } from 'node:stream';
import { assertSafeBlobKey, assertSafeBlobPrefix, BlobNotFoundError, type BlobPage, BlobStore } from './blob-store';

/** In-memory BlobStore for unit tests. */
export class FakeBlobStore extends BlobStore {
  readonly blobs = new Map<string, Buffer>();
  /** When each blob was written (the real time of `put`); a test may set an older one. */
  readonly modified = new Map<string, Date>();

  async put(key: string, body: Readable): Promise<number> {
    assertSafeBlobKey(key);
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(Buffer.from(chunk));
    const data = Buffer.concat(chunks);
    this.blobs.set(key, data);
    this.modified.set(key, new Date());
    return data.length;
  }

  async get(key: string): Promise<Readable> {
    const data = this.blobs.get(key);
    if (!data) throw new BlobNotFoundError(key);
    return Readable.from([data]);
  }

  async delete(key: string): Promise<void> {
    this.blobs.delete(key);
    this.modified.delete(key);
  }

  async deletePrefix(prefix: string): Promise<number> {
    assertSafeBlobPrefix(prefix);
    const keys = [...this.blobs.keys()].filter((k) => k.startsWith(prefix));
    for (const key of keys) await this.delete(key);
    return keys.length;
  }

  async exists(key: string): Promise<boolean> {
    return this.blobs.has(key);
  }

  async list(prefix: string, { after, limit }: { after?: string; limit: number }): Promise<BlobPage> {
    assertSafeBlobPrefix(prefix);
    const keys = [...this.blobs.keys()].filter((k) => k.startsWith(prefix) && (after === undefined || k > after)).sort();
    const page = keys.slice(0, limit);
    return {
      blobs: page.map((key) => ({ key, lastModified: this.modified.get(key) ?? new Date() })),
      next: keys.length > page.length ? page.at(-1) : undefined,
    };
  }
}
