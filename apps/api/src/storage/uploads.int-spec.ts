import { readdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { aSignedInUser, aTeamWithMembers, anApiKey } from '../../testing/builders';
import type { TestClient } from '../../testing/graphql-client';
import { startInferenceProcess, type InferenceProcess } from '../../testing/inference-process';
import { REMOVE, waitForJob } from '../../testing/jobs-client';
import { aNoisePng, aSubjectImage } from '../../testing/test-images';
import { startTestApi, type TestApi } from '../../testing/test-api';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { graphqlBodyLimit } from '../graphql/graphql-body.middleware';
import { EncryptedBlobsService } from './encrypted-blobs.service';

const CREATE_UPLOAD = `mutation($i: CreateUploadInput!) { createUpload(input: $i) { id uploadUrl } }`;

interface RestAnswer {
  status: number;
  body: { error?: { code: string; message: string }; id?: string } | null;
}

/**
 * A PUT sent with node:http: its headers and `first` bytes leave now, the rest only on
 * `finish`, so the request is in flight at the server meanwhile. Without a content-length
 * header the body is chunked. `answer` settles as soon as the server replies, even early.
 */
function startPut(
  url: string,
  first: Buffer,
  headers: Record<string, string | number>,
): { answer: Promise<RestAnswer>; finish(rest: Buffer): void } {
  const req = http.request(url, { method: 'PUT', headers, agent: false });
  const answer = new Promise<RestAnswer>((resolve, reject) => {
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : null }),
      );
      res.on('error', reject);
    });
    // A refused request's socket is closed once the answer is sent; only an error before any answer counts.
    req.on('error', reject);
  });
  req.write(first);
  return { answer, finish: (rest) => req.end(rest) };
}

describe('uploads', () => {
  let inference: InferenceProcess;
  let t: TestApi;
  let config: ApiConfig;
  let key: TestClient;
  let teamId: string;

  beforeAll(async () => {
    inference = await startInferenceProcess({ model: 'tiny' });
    t = await startTestApi({ INFERENCE_URLS: inference.address });
    config = t.api.app.get(API_CONFIG);
    const owner = await aSignedInUser(t, 'uploads');
    teamId = owner.personalTeamId;
    key = t.client().withApiKey(await anApiKey(owner, teamId));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await inference?.close();
  });

  const uploadCount = async () => Number((await t.sql<{ n: string }>('SELECT count(*) AS n FROM uploads'))[0].n);
  const createUpload = async (bytes: Buffer) =>
    (await key.ok(CREATE_UPLOAD, { i: { teamId, filename: 'photo.png', contentType: 'image/png', byteSize: bytes.length } }))
      .createUpload as { id: string; uploadUrl: string };
  const blobFiles = (uploadId: string) =>
    readdirSync(path.join(t.dataDir, 'blobs', 'teams', teamId, 'uploads')).filter((f) => f.startsWith(uploadId));

  it('refuses a PUT once the key or member the URL was made for has lost access (INVALID_TOKEN, 403), and stores nothing', async () => {
    // Regression (found in review): an upload URL took bytes until it expired, though its key was revoked or its maker removed.
    const owner = await aSignedInUser(t, 'holder-owner');
    const member = await aSignedInUser(t, 'holder-member');
    const team = await aTeamWithMembers(t, owner, [{ user: member, role: 'MEMBER' }]);
    const bytes = await aSubjectImage();
    const declare = async (client: TestClient) =>
      (await client.ok(CREATE_UPLOAD, { i: { teamId: team, filename: 'x.png', contentType: 'image/png', byteSize: bytes.length } }))
        .createUpload as { id: string; uploadUrl: string };
    const keyId = async () =>
      (await owner.client.ok(`query($t: ID!) { apiKeys(teamId: $t) { edges { node { id } } } }`, { t: team })).apiKeys.edges[0].node.id;
    const put = async (url: string) => {
      const res = await fetch(url.replace('localhost', '127.0.0.1'), {
        method: 'PUT',
        body: bytes,
        headers: { 'content-type': 'image/png' },
      });
      return [res.status, ((await res.json()) as RestAnswer['body'])?.error?.code];
    };
    const byMember = await declare(member.client);
    const byKey = await declare(t.client().withApiKey(await anApiKey(owner, team)));
    const byOwner = await declare(owner.client);
    await owner.client.ok(`mutation($i: RemoveMemberInput!) { removeMember(input: $i) { id } }`, {
      i: { teamId: team, userId: member.id },
    });
    await owner.client.ok(`mutation($i: RevokeApiKeyInput!) { revokeApiKey(input: $i) { id } }`, { i: { id: await keyId() } });
    expect(await put(byMember.uploadUrl)).toEqual([403, 'INVALID_TOKEN']);
    expect(await put(byKey.uploadUrl)).toEqual([403, 'INVALID_TOKEN']);
    const stored = await t.sql<{ id: string }>('SELECT id FROM uploads WHERE team_id = $1 AND uploaded_at IS NOT NULL', [team]);
    expect(stored).toEqual([]);
    // The owner's own URL, made by a credential that still has access, takes the bytes.
    expect(await put(byOwner.uploadUrl)).toEqual([200, undefined]);
  });

  it('refuses at createUpload an upload over MAX_UPLOAD_BYTES, and creates nothing', async () => {
    const before = await uploadCount();
    const res = await key.gql(CREATE_UPLOAD, {
      i: { teamId, filename: 'big.png', contentType: 'image/png', byteSize: config.MAX_UPLOAD_BYTES + 1 },
    });
    expect(res.errors?.[0].extensions?.code).toBe('IMAGE_TOO_LARGE');
    expect(res.data).toBeNull();
    expect(await uploadCount()).toBe(before);
    await expect(
      key.ok(CREATE_UPLOAD, { i: { teamId, filename: 'max.png', contentType: 'image/png', byteSize: config.MAX_UPLOAD_BYTES } }),
    ).resolves.toBeDefined();
  });

  it('lets exactly one of simultaneous PUTs to one URL store the image; the others answer 409 CONFLICT and leave its blob alone', async () => {
    const photo = await aSubjectImage('png', 320, 240);
    const upload = await createUpload(photo);
    const url = upload.uploadUrl.replace('localhost', '127.0.0.1');
    const half = Math.floor(photo.length / 2);
    // All PUTs reach the server and are checked while each still owes half of its body.
    const puts = Array.from({ length: 5 }, () =>
      startPut(url, photo.subarray(0, half), { 'content-type': 'image/png', 'content-length': photo.length }),
    );
    const answered: RestAnswer[] = [];
    const waiting = new Set(puts);
    await new Promise<void>((resolve, reject) => {
      for (const put of puts) {
        put.answer.then((a) => {
          answered.push(a);
          waiting.delete(put);
          if (answered.length === puts.length - 1) resolve();
        }, reject);
      }
    });
    expect(answered).toEqual(
      Array.from({ length: 4 }, () => ({ status: 409, body: { error: { code: 'CONFLICT', message: expect.any(String) } } })),
    );
    const [winner] = waiting;
    winner.finish(photo.subarray(half));
    expect(await winner.answer).toMatchObject({ status: 200, body: { id: upload.id, bytes: photo.length } });

    const [row] = await t.sql<{ status: string; blob_key: string; claimed_until: Date | null }>(
      'SELECT status, blob_key, claimed_until FROM uploads WHERE id = $1',
      [upload.id],
    );
    expect(row).toMatchObject({ status: 'UPLOADED', claimed_until: null });
    expect(await t.api.app.get(EncryptedBlobsService).read(teamId, row.blob_key)).toEqual(photo);
    expect(blobFiles(upload.id)).toEqual([path.basename(row.blob_key)]);

    const reused = await fetch(url, { method: 'PUT', body: new Uint8Array(photo) });
    expect([reused.status, ((await reused.json()) as { error: { code: string } }).error.code]).toEqual([403, 'INVALID_TOKEN']);

    const { removeBackground } = await key.ok(REMOVE, { i: { teamId, uploadId: upload.id, idempotencyKey: 'after-concurrent-puts' } });
    expect(await waitForJob(key, removeBackground.id)).toMatchObject({ status: 'SUCCEEDED', error: null, attempts: 1 });
  });

  it('answers a chunked body longer than declared with 413 IMAGE_TOO_LARGE, stores nothing, and keeps the URL usable', async () => {
    const photo = await aSubjectImage('png', 64, 64);
    const upload = await createUpload(photo);
    const url = upload.uploadUrl.replace('localhost', '127.0.0.1');
    const put = startPut(url, photo, { 'content-type': 'image/png' });
    put.finish(Buffer.alloc(4096, 1));
    expect(await put.answer).toEqual({ status: 413, body: { error: { code: 'IMAGE_TOO_LARGE', message: expect.any(String) } } });
    expect(await t.sql('SELECT status, blob_key, claimed_until FROM uploads WHERE id = $1', [upload.id])).toEqual([
      { status: 'PENDING', blob_key: null, claimed_until: null },
    ]);
    expect(blobFiles(upload.id)).toEqual([]);

    const right = await fetch(url, { method: 'PUT', body: new Uint8Array(photo) });
    expect(right.status).toBe(200);
  });

  describe('inline images (MAX_INLINE_BYTES)', () => {
    it('accepts a real image just under MAX_INLINE_BYTES', async () => {
      const png = await aNoisePng(config.MAX_INLINE_BYTES);
      expect(png.length).toBeGreaterThan(config.MAX_INLINE_BYTES - 4096);
      const res = await key.gql(REMOVE, { i: { teamId, imageBase64: png.toString('base64'), idempotencyKey: 'inline-just-under' } });
      expect(res.errors).toBeUndefined();
      expect(res.data?.removeBackground).toMatchObject({ status: 'QUEUED', input: { contentType: 'image/png', bytes: png.length } });
      expect(await waitForJob(key, res.data?.removeBackground.id)).toMatchObject({ status: 'SUCCEEDED' });
    });

    it('refuses an image over MAX_INLINE_BYTES with IMAGE_TOO_LARGE, and creates nothing', async () => {
      const png = await aNoisePng(config.MAX_INLINE_BYTES + 16 * 1024);
      expect(png.length).toBeGreaterThan(config.MAX_INLINE_BYTES);
      const before = await uploadCount();
      const res = await key.gql(REMOVE, { i: { teamId, imageBase64: png.toString('base64'), idempotencyKey: 'inline-over' } });
      expect(res.errors?.[0].extensions?.code).toBe('IMAGE_TOO_LARGE');
      expect(await uploadCount()).toBe(before);
      expect(await t.sql(`SELECT id FROM jobs WHERE idempotency_key = 'inline-over'`)).toEqual([]);
    });

    it('answers a body over the limit with 413 in the GraphQL error shape', async () => {
      const body = JSON.stringify({
        query: REMOVE,
        variables: { i: { teamId, imageBase64: 'A'.repeat(graphqlBodyLimit(config.MAX_INLINE_BYTES)), idempotencyKey: 'too-big' } },
      });
      const res = await fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key.apiKey}` },
        body,
      });
      expect(res.status).toBe(413);
      expect(await res.json()).toEqual({
        errors: [
          {
            message: expect.stringContaining('createUpload'),
            extensions: { code: 'IMAGE_TOO_LARGE', maxInlineBytes: config.MAX_INLINE_BYTES },
          },
        ],
      });
    });
  });
});
