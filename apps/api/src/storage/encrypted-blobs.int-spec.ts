import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_SEGMENT_BYTES } from '@cutout/crypto';
import { aSignedInUser, anApiKey } from '../../testing/builders';
import type { TestClient } from '../../testing/graphql-client';
import { startInferenceProcess, type InferenceProcess } from '../../testing/inference-process';
import { REMOVE, uploadImage, waitForJob } from '../../testing/jobs-client';
import { aNoisyImage } from '../../testing/test-images';
import { startTestApi, type TestApi } from '../../testing/test-api';

const HEADER_BYTES = 15;
const SEALED_SEGMENT = DEFAULT_SEGMENT_BYTES + 16;

interface Download {
  status: number;
  headers: Headers;
  received: Buffer;
  /** Set when the body did not arrive whole (the server aborted the response). */
  bodyError?: unknown;
}

/** Blobs tampered with at rest, against the real API, worker and inference service (tiny model). */
describe('encrypted blobs tampered with at rest', () => {
  let inference: InferenceProcess;
  let t: TestApi;
  let key: TestClient;
  let teamId: string;
  let result: { url: string; file: string; bytes: Buffer };

  const blobFile = (blobKey: string) => path.join(t.dataDir, 'blobs', blobKey);

  /** Flips one bit of a stored file; returns the function that puts the original back. */
  function flipBit(file: string, at: number): () => void {
    const original = readFileSync(file);
    const tampered = Buffer.from(original);
    tampered[at] ^= 0x01;
    writeFileSync(file, tampered);
    return () => writeFileSync(file, original);
  }

  async function aSucceededJob(): Promise<{ url: string; file: string }> {
    const upload = await uploadImage(key, teamId, await aNoisyImage(400, 300));
    const { removeBackground } = await key.ok(REMOVE, {
      i: { teamId, uploadId: upload.id, idempotencyKey: upload.id, options: { format: 'PNG' } },
    });
    const job = await waitForJob(key, removeBackground.id);
    expect(job.status).toBe('SUCCEEDED');
    const [row] = await t.sql<{ result_blob_key: string }>('SELECT result_blob_key FROM jobs WHERE id = $1', [job.id]);
    return { url: (job.resultUrl as string).replace('localhost', '127.0.0.1'), file: blobFile(row.result_blob_key) };
  }

  async function download(url: string): Promise<Download> {
    const res = await fetch(url);
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
      return { status: res.status, headers: res.headers, received: Buffer.concat(chunks) };
    } catch (bodyError) {
      return { status: res.status, headers: res.headers, received: Buffer.concat(chunks), bodyError };
    }
  }

  beforeAll(async () => {
    inference = await startInferenceProcess({ model: 'tiny' });
    t = await startTestApi({ INFERENCE_URLS: inference.address });
    const owner = await aSignedInUser(t, 'tamper');
    teamId = owner.personalTeamId;
    key = t.client().withApiKey(await anApiKey(owner, teamId));
    const job = await aSucceededJob();
    const intact = await download(job.url);
    expect(intact.status).toBe(200);
    expect(intact.bodyError).toBeUndefined();
    result = { ...job, bytes: intact.received };
    // The cut-out spans at least four segments, so a later one can be tampered with.
    expect(readFileSync(job.file).length).toBeGreaterThan(HEADER_BYTES + 3 * SEALED_SEGMENT);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await inference?.close();
  });

  async function expectCleanRefusal(res: Download): Promise<void> {
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('content-disposition')).toBeNull();
    expect(JSON.parse(res.received.toString())).toEqual({ error: { code: 'INTERNAL_SERVER_ERROR', message: expect.any(String) } });
  }

  it('answers a clean 500, with no image bytes, when the header or the first segment was tampered with', async () => {
    for (const at of [5, HEADER_BYTES + 100, HEADER_BYTES + SEALED_SEGMENT - 1]) {
      const restore = flipBit(result.file, at);
      try {
        await expectCleanRefusal(await download(result.url));
      } finally {
        restore();
      }
    }
    expect((await download(result.url)).received.equals(result.bytes)).toBe(true);
  });

  it("answers a clean 500 when a result's file was swapped with another blob's", async () => {
    const other = await aSucceededJob();
    const original = readFileSync(result.file);
    copyFileSync(other.file, result.file);
    try {
      await expectCleanRefusal(await download(result.url));
    } finally {
      writeFileSync(result.file, original);
    }
  });

  it('aborts the download before any byte of a tampered later segment leaves', async () => {
    const restore = flipBit(result.file, HEADER_BYTES + 2 * SEALED_SEGMENT + 10);
    let res: Download;
    try {
      res = await download(result.url);
    } finally {
      restore();
    }
    expect(res.status).toBe(200);
    expect(res.bodyError).toBeDefined();
    expect(res.received.length).toBeLessThanOrEqual(2 * DEFAULT_SEGMENT_BYTES);
    expect(res.received.equals(result.bytes.subarray(0, res.received.length))).toBe(true);
    // The API keeps serving: the restored blob downloads whole.
    expect((await download(result.url)).received.equals(result.bytes)).toBe(true);
  });

  it('aborts the download of a result cut short at a segment boundary', async () => {
    const original = readFileSync(result.file);
    writeFileSync(result.file, original.subarray(0, HEADER_BYTES + 2 * SEALED_SEGMENT));
    let res: Download;
    try {
      res = await download(result.url);
    } finally {
      writeFileSync(result.file, original);
    }
    expect(res.bodyError).toBeDefined();
    expect(res.received.length).toBeLessThanOrEqual(DEFAULT_SEGMENT_BYTES);
    expect(res.received.equals(result.bytes.subarray(0, res.received.length))).toBe(true);
  });

  it('fails a job whose uploaded image was tampered with as INPUT_UNAVAILABLE', async () => {
    const upload = await uploadImage(key, teamId, await aNoisyImage(64, 64));
    const [row] = await t.sql<{ blob_key: string }>('SELECT blob_key FROM uploads WHERE id = $1', [upload.id]);
    flipBit(blobFile(row.blob_key), HEADER_BYTES + 3);
    const { removeBackground } = await key.ok(REMOVE, { i: { teamId, uploadId: upload.id, idempotencyKey: upload.id } });
    const job = await waitForJob(key, removeBackground.id);
    expect(job).toMatchObject({ status: 'FAILED', error: { code: 'INPUT_UNAVAILABLE' }, attempts: 1 });
    expect((await download(result.url)).received.equals(result.bytes)).toBe(true);
  });
});
