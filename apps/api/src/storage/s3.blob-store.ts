import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable, Transform, pipeline } from 'node:stream';
import {
  assertSafeBlobKey,
  assertSafeBlobPrefix,
  BlobNotFoundError,
  type BlobPage,
  BlobStore,
  isSafeBlobKey,
  type ListedBlob,
} from './blob-store';

export interface S3BlobStoreOptions {
  bucket: string;
  /** For S3-compatible stores (MinIO, R2, …); omit for AWS S3. */
  endpoint?: string;
  region: string;
  /** Both or neither; when omitted, the SDK's default credential chain is used. */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** `/<bucket>/<key>` URLs instead of `<bucket>.<host>`; needed by MinIO and most self-hosted stores. */
  forcePathStyle: boolean;
  /** Folder inside the bucket that every key is stored under, e.g. "cutout". */
  prefix?: string;
  /** Keys per ListObjectsV2 request (MaxKeys), 1–1000; default 1000 (S3's most). Tests set a small one to page. */
  listPageSize?: number;
}

/** A storage failure, stripped of the SDK error (which may carry request details): only what, where and S3's code. */
export class S3BlobStoreError extends Error {
  constructor(
    readonly operation: string,
    readonly key: string,
    readonly s3Code: string,
    readonly status: number | undefined,
    detail: string,
  ) {
    super(`S3 ${operation} failed for ${key}: ${s3Code}${status ? ` (HTTP ${status})` : ''}${detail ? ` - ${detail}` : ''}`);
    this.name = 'S3BlobStoreError';
  }
}

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** Blobs as objects in an S3-compatible bucket; uploads stream through multipart (5 MiB parts) when large. */
export class S3BlobStore extends BlobStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly secrets: string[];
  private readonly listPageSize: number;

  constructor(options: S3BlobStoreOptions) {
    super();
    const { accessKeyId, secretAccessKey } = options;
    if (Boolean(accessKeyId) !== Boolean(secretAccessKey))
      throw new Error('S3BlobStore: set both accessKeyId and secretAccessKey, or neither');
    this.bucket = options.bucket;
    this.prefix = (options.prefix ?? '').replace(/^\/+|\/+$/g, '');
    this.secrets = [accessKeyId, secretAccessKey].filter((s): s is string => Boolean(s));
    this.listPageSize = Math.max(1, Math.min(1000, Math.floor(options.listPageSize ?? 1000)));
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle,
      credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
      // Only send/check checksums when an operation demands them: keeps bodies plain (no aws-chunked
      // trailers) and works with S3-compatible stores that lag behind AWS's default integrity checks.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  private objectKey(key: string): string {
    assertSafeBlobKey(key);
    return this.inBucket(key);
  }

  /** A key or key prefix of this store as the bucket names it (under the store's prefix), and back. */
  private inBucket(key: string): string {
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  private fromBucket(objectKey: string): string {
    return this.prefix ? objectKey.slice(this.prefix.length + 1) : objectKey;
  }

  async put(key: string, body: Readable): Promise<number> {
    const Key = this.objectKey(key);
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    pipeline(body, counter, () => undefined); // a source error destroys `counter`, which fails the upload
    try {
      await new Upload({ client: this.client, params: { Bucket: this.bucket, Key, Body: counter } }).done();
    } catch (error) {
      body.destroy();
      throw this.translate('PutObject', key, error);
    }
    return bytes;
  }

  async get(key: string): Promise<Readable> {
    const Key = this.objectKey(key);
    try {
      const { Body } = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key }));
      return Body instanceof Readable ? Body : Readable.from([]);
    } catch (error) {
      if ((error as SdkError).name === 'NoSuchKey') throw new BlobNotFoundError(key);
      throw this.translate('GetObject', key, error);
    }
  }

  async delete(key: string): Promise<void> {
    const Key = this.objectKey(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }));
    } catch (error) {
      if (this.isNotFound(error, 'NoSuchKey')) return;
      throw this.translate('DeleteObject', key, error);
    }
  }

  /** Lists the prefix page by page (ListObjectsV2) and deletes each object, a few at a time. */
  async deletePrefix(prefix: string): Promise<number> {
    assertSafeBlobPrefix(prefix);
    const Prefix = this.inBucket(prefix);
    let deleted = 0;
    let ContinuationToken: string | undefined;
    do {
      let page;
      try {
        page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix, ContinuationToken }));
      } catch (error) {
        throw this.translate('ListObjectsV2', prefix, error);
      }
      const keys = (page.Contents ?? []).map((o) => o.Key).filter((k): k is string => Boolean(k));
      for (let i = 0; i < keys.length; i += 8) {
        await Promise.all(
          keys.slice(i, i + 8).map(async (Key) => {
            try {
              await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }));
            } catch (error) {
              if (!this.isNotFound(error, 'NoSuchKey')) throw this.translate('DeleteObject', Key, error);
            }
          }),
        );
      }
      deleted += keys.length;
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
    return deleted;
  }

  /**
   * ListObjectsV2 from `after` (StartAfter), following its continuation tokens page by page
   * (`listPageSize` keys each) until `limit` keys are listed or the bucket has no more. An object
   * without LastModified counts as written now (its age unknown, it is never taken for old).
   */
  async list(prefix: string, { after, limit }: { after?: string; limit: number }): Promise<BlobPage> {
    assertSafeBlobPrefix(prefix);
    const blobs: ListedBlob[] = [];
    let listed = 0;
    let last: string | undefined;
    let ContinuationToken: string | undefined;
    do {
      let page;
      try {
        page = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: this.inBucket(prefix),
            StartAfter: after === undefined || ContinuationToken ? undefined : this.inBucket(after),
            ContinuationToken,
            MaxKeys: Math.min(this.listPageSize, limit - listed),
          }),
        );
      } catch (error) {
        throw this.translate('ListObjectsV2', prefix, error);
      }
      for (const object of page.Contents ?? []) {
        if (!object.Key) continue;
        listed += 1;
        last = this.fromBucket(object.Key);
        if (isSafeBlobKey(last)) blobs.push({ key: last, lastModified: object.LastModified ?? new Date() });
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken && listed < limit);
    return { blobs, next: ContinuationToken ? last : undefined };
  }

  async exists(key: string): Promise<boolean> {
    const Key = this.objectKey(key);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key }));
      return true;
    } catch (error) {
      // HEAD responses have no body, so S3 reports a missing key (and a missing bucket) only as 404 "NotFound".
      if (this.isNotFound(error, 'NotFound') || this.isNotFound(error, 'NoSuchKey')) return false;
      throw this.translate('HeadObject', key, error);
    }
  }

  /** Closes the client's connections. */
  close(): void {
    this.client.destroy();
  }

  private isNotFound(error: unknown, name: string): boolean {
    return (error as SdkError | undefined)?.name === name;
  }

  private translate(operation: string, key: string, error: unknown): S3BlobStoreError {
    const e = (error ?? {}) as SdkError;
    let detail = typeof e.message === 'string' ? e.message.slice(0, 300) : '';
    for (const secret of this.secrets) detail = detail.split(secret).join('[redacted]');
    return new S3BlobStoreError(
      operation,
      key,
      e.code ?? (e.name && e.name !== 'Error' ? e.name : 'RequestFailed'),
      e.$metadata?.httpStatusCode,
      detail,
    );
  }
}
