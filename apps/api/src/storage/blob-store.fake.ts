import { Readable } from 'node:stream';
import { assertSafeBlobKey, BlobNotFoundError, BlobStore } from './blob-store';

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

  async exists(key: string): Promise<boolean> {
    return this.blobs.has(key);
  }
}
