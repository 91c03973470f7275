import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { startLocalS3, type LocalS3 } from '../../testing/local-s3.server';
import { BlobNotFoundError } from './blob-store';
import { describeBlobStoreContract } from './blob-store.contract';
import { S3BlobStore, S3BlobStoreError, type S3BlobStoreOptions } from './s3.blob-store';

const credentials = { accessKeyId: 'AKIACUTOUTTESTKEY', secretAccessKey: 'cutout-test-secret-9f8e7d' };
const optionsFor = (s3: LocalS3, overrides: Partial<S3BlobStoreOptions> = {}): S3BlobStoreOptions => ({
  bucket: s3.bucket,
  endpoint: s3.endpoint,
  region: 'us-east-1',
  forcePathStyle: true,
  prefix: 'cutout',
  ...credentials,
  ...overrides,
});

async function read(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

function expectNoCredentials(error: unknown): void {
  const text = `${String(error)} ${(error as Error).stack ?? ''} ${JSON.stringify(error)}`;
  expect(text).not.toContain(credentials.accessKeyId);
  expect(text).not.toContain(credentials.secretAccessKey);
}

describeBlobStoreContract('S3BlobStore', async () => {
  const s3 = await startLocalS3();
  const store = new S3BlobStore(optionsFor(s3));
  return {
    store,
    cleanup: async () => {
      store.close();
      await s3.close();
    },
  };
});

describe('S3BlobStore against a local S3-compatible server', () => {
  let s3: LocalS3;
  let store: S3BlobStore;
  beforeAll(async () => {
    s3 = await startLocalS3();
    store = new S3BlobStore(optionsFor(s3));
  });
  afterAll(async () => {
    store.close();
    await s3.close();
  });

  it('streams a ~12 MB blob through a multipart upload and reads it back identical', async () => {
    const size = 12 * 1024 * 1024 + 12_344;
    const data = Buffer.alloc(size);
    for (let i = 0; i < size; i += 4) data.writeUInt32LE((i * 2654435761) >>> 0, i);
    const chunks = function* () {
      for (let i = 0; i < size; i += 64 * 1024) yield data.subarray(i, i + 64 * 1024);
    };

    expect(await store.put('teams/t1/uploads/big', Readable.from(chunks()))).toBe(size);

    expect(s3.objects.get('cutout/teams/t1/uploads/big')?.equals(data)).toBe(true);
    expect((await read(await store.get('teams/t1/uploads/big'))).equals(data)).toBe(true);
    const client = new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials });
    const head = await client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: 'cutout/teams/t1/uploads/big' }));
    client.destroy();
    expect(head.ETag).toMatch(/-3"$/); // a multipart ETag: three 5 MiB parts
  });

  it('stores bytes under the prefix, and only there', async () => {
    await store.put('teams/t2/uploads/x', Readable.from([Buffer.from('hello')]));
    expect(s3.objects.get('cutout/teams/t2/uploads/x')?.toString()).toBe('hello');
    expect(s3.objects.has('teams/t2/uploads/x')).toBe(false);

    const unprefixed = new S3BlobStore(optionsFor(s3, { prefix: undefined }));
    await unprefixed.put('teams/t2/uploads/y', Readable.from([Buffer.from('plain')]));
    unprefixed.close();
    expect(s3.objects.get('teams/t2/uploads/y')?.toString()).toBe('plain');
  });

  it('fails a stream that errors mid-upload instead of storing part of it', async () => {
    const broken = new Readable({ read: () => undefined });
    broken.push(Buffer.from('partial'));
    setImmediate(() => broken.destroy(new Error('source broke')));
    await expect(store.put('teams/t3/uploads/broken', broken)).rejects.toThrow();
    expect(s3.objects.has('cutout/teams/t3/uploads/broken')).toBe(false);
  });

  it('lists past one page: follows ListObjectsV2 continuation tokens (page size a parameter), from StartAfter, within the store’s folder', async () => {
    const paged = new S3BlobStore(optionsFor(s3, { listPageSize: 2 }));
    const keys = ['teams/pg/uploads/1', 'teams/pg/uploads/2', 'teams/pg/uploads/3', 'teams/pg/uploads/4', 'teams/pg/uploads/5'];
    for (const key of keys) await paged.put(key, Readable.from([Buffer.from(key)]));
    s3.objects.set('teams/pg/uploads/outside-the-folder', Buffer.from('x')); // another app's object, outside "cutout/"
    s3.objects.set('cutout/teams/pg/uploads/not a key', Buffer.from('x')); // nothing the app writes
    const written = new Date('2026-01-02T03:04:05.000Z');
    s3.modified.set('cutout/teams/pg/uploads/3', written);
    const lists = () => s3.requests.filter((r) => r.includes('list-type=2'));
    const before = lists().length;

    const all = await paged.list('teams/pg/', { limit: 100 });
    expect(all.blobs.map((b) => b.key)).toEqual(keys);
    expect(all.next).toBeUndefined();
    expect(all.blobs[2].lastModified.toISOString()).toBe(written.toISOString());
    const requests = lists().slice(before);
    expect(requests).toHaveLength(3); // pages of at most 2 keys: 1-2, 3-4, 5 and the odd one
    expect(requests.every((r) => r.includes('max-keys=2'))).toBe(true);
    expect(requests.slice(1).every((r) => r.includes('continuation-token='))).toBe(true);

    const firstThree = await paged.list('teams/pg/', { limit: 3 });
    expect(firstThree.blobs.map((b) => b.key)).toEqual(keys.slice(0, 3));
    expect(firstThree.next).toBe('teams/pg/uploads/3');
    const rest = await paged.list('teams/pg/', { after: firstThree.next, limit: 3 });
    expect(rest.blobs.map((b) => b.key)).toEqual(keys.slice(3));
    expect(lists().at(-2)).toContain(`start-after=${encodeURIComponent('cutout/teams/pg/uploads/3')}`);
    paged.close();
  });

  it('gives a clean error, without credentials, for a missing bucket', async () => {
    const wrong = new S3BlobStore(optionsFor(s3, { bucket: 'no-such-bucket' }));
    const error = await wrong.put('teams/t1/uploads/a', Readable.from([Buffer.from('x')])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(S3BlobStoreError);
    expect((error as Error).message).toMatch(/PutObject failed for teams\/t1\/uploads\/a: NoSuchBucket \(HTTP 404\)/);
    expectNoCredentials(error);
    const getError = await wrong.get('teams/t1/uploads/a').catch((e: unknown) => e);
    expect(getError).toBeInstanceOf(S3BlobStoreError);
    expect(getError).not.toBeInstanceOf(BlobNotFoundError);
    expectNoCredentials(getError);
    wrong.close();
  });

  it('gives a clean error, without credentials, for an unreachable endpoint', async () => {
    const gone = await startLocalS3();
    await gone.close(); // its port is now closed
    const unreachable = new S3BlobStore(optionsFor(gone));
    for (const attempt of [
      () => unreachable.put('teams/t1/uploads/a', Readable.from([Buffer.from('x')])),
      () => unreachable.get('teams/t1/uploads/a'),
      () => unreachable.exists('teams/t1/uploads/a'),
      () => unreachable.list('teams/', { limit: 10 }),
    ]) {
      const error = await (attempt() as Promise<unknown>).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(S3BlobStoreError);
      expect((error as Error).message).toMatch(/ECONNREFUSED/);
      expectNoCredentials(error);
    }
    unreachable.close();
  });

  it('the server decodes aws-chunked bodies that the SDK sends with its default checksum settings', async () => {
    const client = new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials });
    const body = Buffer.from('chunked body '.repeat(10_000));
    await client.send(
      new PutObjectCommand({ Bucket: s3.bucket, Key: 'raw/chunked', Body: Readable.from([body]), ContentLength: body.length }),
    );
    client.destroy();
    expect(s3.objects.get('raw/chunked')?.equals(body)).toBe(true);
  });
});
