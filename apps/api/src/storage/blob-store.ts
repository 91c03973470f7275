import type { Readable } from 'node:stream';

/**
 * Port for storing opaque (already encrypted) blobs by key. Implementations: local disk
 * (default) and any S3-compatible store. Keys look like "teams/<teamId>/uploads/<id>".
 */
export abstract class BlobStore {
  /** Stores the whole stream under `key`, replacing nothing: a key is written once. Returns the byte count. */
  abstract put(key: string, body: Readable): Promise<number>;
  /** A stream of the blob; rejects with BlobNotFoundError when it does not exist. */
  abstract get(key: string): Promise<Readable>;
  /** Deletes the blob; no error when it does not exist. */
  abstract delete(key: string): Promise<void>;
  abstract exists(key: string): Promise<boolean>;
  /** Deletes every blob whose key starts with `prefix` (a folder: it ends with "/"); returns how many. */
  abstract deletePrefix(prefix: string): Promise<number>;
  /**
   * One page of the blobs whose keys start with `prefix` (a folder: it ends with "/"), in ascending
   * key order (byte order, as S3 lists), only keys after `after` when given: at most `limit` of
   * them. `next` is the `after` of the following page, absent once the listing reached the end (a
   * full page may be followed by an empty one). Names that are no safe blob key (not written by
   * the app) are left out, as are folders.
   */
  abstract list(prefix: string, page: { after?: string; limit: number }): Promise<BlobPage>;
}

/** A stored blob as a listing sees it. */
export interface ListedBlob {
  key: string;
  /** When it was written (the file's mtime, the object's LastModified), by the store's clock. */
  lastModified: Date;
}

export interface BlobPage {
  blobs: ListedBlob[];
  next?: string;
}

export class BlobNotFoundError extends Error {
  constructor(key: string) {
    super(`blob not found: ${key}`);
    this.name = 'BlobNotFoundError';
  }
}

/** A prefix for deletePrefix: a safe key that names a folder (so "teams/a" never reaches "teams/ab…"). */
export function assertSafeBlobPrefix(prefix: string): void {
  if (!prefix.endsWith('/')) throw new Error(`unsafe blob prefix (it must end with "/"): ${prefix}`);
  assertSafeBlobKey(prefix.slice(0, -1));
}

/** Keys are built by the app only; this guards against path tricks all the same. */
export function assertSafeBlobKey(key: string): void {
  if (!isSafeBlobKey(key)) throw new Error(`unsafe blob key: ${key}`);
}

export function isSafeBlobKey(key: string): boolean {
  return /^[a-z0-9][a-z0-9/_.-]*$/i.test(key) && !key.includes('..') && !key.includes('//');
}
