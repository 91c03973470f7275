import { Readable } from 'node:stream';
import { assertSafeBlobKey, assertSafeBlobPrefix, BlobNotFoundError, BlobStore } from './blob-store';

/** In-memory BlobStore for unit tests. */
export class FakeBlobStore extends BlobStore {
  readonly blobs = new Map<string, Buffer>();

  async put(key: string, body: Readable): Promise<number> {
    assertSafeBlobKey(key);
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(Buffer.from(chunk));
    const data = Buffer.concat(chunks);
    this.blobs.set(key, data);
    return data.length;
  }

  async get(key: string): Promise<Readable> {
    const data = this.blobs.get(key);
    if (!data) throw new BlobNotFoundError(key);
    return Readable.from([data]);
  }

  async delete(key: string): Promise<void> {
    this.blobs.delete(key);
  }

  async deletePrefix(prefix: string): Promise<number> {
    assertSafeBlobPrefix(prefix);
    const keys = [...this.blobs.keys()].filter((k) => k.startsWith(prefix));
    for (const key of keys) this.blobs.delete(key);
    return keys.length;
  }

  async exists(key: string): Promise<boolean> {
    return this.blobs.has(key);
  }
}
