import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { aSignedInUser, type SignedInUser } from '../testing/builders';
import { startInferenceProcess, type InferenceProcess } from '../testing/inference-process';
import { REMOVE, uploadImage, waitForJob } from '../testing/jobs-client';
import { aSubjectImage } from '../testing/test-images';
import { startTestApi, type TestApi } from '../testing/test-api';
import { UrlSigner } from '../src/common/url-signer';
import { API_CONFIG, type ApiConfig } from '../src/config/api.config';

const local = (url: string) => url.replace('localhost', '127.0.0.1');

/** A REST error answer: status and body, which must be exactly `{ error: { code, message } }`. */
async function restError(res: Response): Promise<{ status: number; code: string; message: string; body: string }> {
  const body = await res.text();
  const parsed = JSON.parse(body) as { error: { code: string; message: string } };
  expect(Object.keys(parsed)).toEqual(['error']);
  return { status: res.status, code: parsed.error.code, message: parsed.error.message, body };
}

/** The REST answers of signed links: expiry, missing credentials, and unexpected failures. */
describe('signed REST routes', () => {
  let inference: InferenceProcess;
  let t: TestApi;
  let owner: SignedInUser;
  let jobId: string;
  let resultUrl: string;

  beforeAll(async () => {
    inference = await startInferenceProcess({ model: 'tiny' });
    t = await startTestApi({ INFERENCE_URLS: inference.address, DOWNLOAD_URL_TTL_SECONDS: '60' });
    owner = await aSignedInUser(t, 'downloads');
    const imageBase64 = (await aSubjectImage('png', 64, 64)).toString('base64');
    const { removeBackground } = await owner.client.ok(REMOVE, {
      i: { teamId: owner.personalTeamId, imageBase64, idempotencyKey: 'download-me' },
    });
    const done = await waitForJob(owner.client, removeBackground.id);
    expect(done.status).toBe('SUCCEEDED');
    jobId = done.id;
    resultUrl = local(done.resultUrl);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await inference?.close();
  });

  /** A result link signed by the API's own signer with the configured lifetime, as if issued `issuedSecondsAgo` ago. */
  const linkIssued = (issuedSecondsAgo: number) => {
    const signPath = `/downloads/${jobId}`;
    const ttl = t.api.app.get<symbol, ApiConfig>(API_CONFIG).DOWNLOAD_URL_TTL_SECONDS;
    // For the same credential as the API's own link (its `by`).
    const by = new URL(resultUrl).searchParams.get('by') ?? '';
    const { query } = t.api.app.get(UrlSigner).sign(signPath, ttl, by, Date.now() - issuedSecondsAgo * 1000);
    return `${t.url}${signPath}?${query}`;
  };

  it('refuses a result link older than DOWNLOAD_URL_TTL_SECONDS with INVALID_TOKEN (403); a younger one downloads', async () => {
    expect((await fetch(resultUrl)).status).toBe(200);
    // DOWNLOAD_URL_TTL_SECONDS is 60 here: issued 50 s ago it still works, 61 s ago it has expired.
    expect((await fetch(linkIssued(50))).status).toBe(200);
    const expired = await restError(await fetch(linkIssued(61)));
    expect([expired.status, expired.code]).toEqual([403, 'INVALID_TOKEN']);
  });

  it('answers 403 INVALID_TOKEN, not 401, to a download or upload without its signature or token', async () => {
    // Signed links carry their own credential; there is no authentication scheme to challenge for (RFC 9110 §15.5.2).
    const bare = await restError(await fetch(`${t.url}/downloads/${jobId}`));
    expect([bare.status, bare.code]).toEqual([403, 'INVALID_TOKEN']);
    const noSignature = await restError(await fetch(resultUrl.replace(/&signature=[^&]+/, '')));
    expect([noSignature.status, noSignature.code]).toEqual([403, 'INVALID_TOKEN']);

    const png = await aSubjectImage('png', 32, 32);
    const { createUpload } = await owner.client.ok(`mutation($i: CreateUploadInput!) { createUpload(input: $i) { id uploadUrl } }`, {
      i: { teamId: owner.personalTeamId, filename: 'a.png', contentType: 'image/png', byteSize: png.length },
    });
    const noToken = await restError(
      await fetch(local(createUpload.uploadUrl).replace(/\?token=.*$/, ''), { method: 'PUT', body: new Uint8Array(png) }),
    );
    expect([noToken.status, noToken.code]).toEqual([403, 'INVALID_TOKEN']);
  });

  it('answers 500 INTERNAL_SERVER_ERROR in the error shape, without details, when the stored result cannot be read', async () => {
    const [{ result_blob_key }] = await t.sql<{ result_blob_key: string }>('SELECT result_blob_key FROM jobs WHERE id = $1', [jobId]);
    const file = path.join(t.dataDir, 'blobs', result_blob_key);
    // The blob store fails: where the result's file was, there is now a folder (EISDIR on read).
    renameSync(file, `${file}.moved`);
    mkdirSync(file);
    try {
      const res = await fetch(resultUrl);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('content-disposition')).toBeNull();
      const failed = await restError(res);
      expect([failed.status, failed.code]).toEqual([500, 'INTERNAL_SERVER_ERROR']);
      for (const detail of ['EISDIR', 'teams/', t.dataDir, 'at ']) expect(failed.body).not.toContain(detail);
    } finally {
      rmSync(file, { recursive: true });
      renameSync(`${file}.moved`, file);
    }
    expect((await fetch(resultUrl)).status).toBe(200);
  });

  it('answers an upload 500 INTERNAL_SERVER_ERROR, without details, when the blob store fails; the URL works once the store is back', async () => {
    const teamUploads = path.join(t.dataDir, 'blobs', 'teams', owner.personalTeamId, 'uploads');
    const moved = `${teamUploads}.moved`;
    const png = await aSubjectImage('png', 40, 40);
    renameSync(teamUploads, moved);
    // A file where the team's uploads folder belongs: every write and delete below it fails (ENOTDIR).
    writeFileSync(teamUploads, 'not a folder');
    let upload: Awaited<ReturnType<typeof uploadImage>>;
    try {
      upload = await uploadImage(owner.client, owner.personalTeamId, png, 'image/png', 'store-down.png');
      const failed = await restError(upload.put);
      expect([failed.status, failed.code]).toEqual([500, 'INTERNAL_SERVER_ERROR']);
      for (const detail of ['ENOTDIR', 'teams/', t.dataDir, 'at ']) expect(failed.body).not.toContain(detail);
    } finally {
      rmSync(teamUploads);
      renameSync(moved, teamUploads);
    }
    // The failed PUT gave its claim back: the same URL can be tried again at once.
    const [row] = await t.sql<{ status: string; blob_key: string | null }>('SELECT status, blob_key FROM uploads WHERE id = $1', [
      upload.id,
    ]);
    expect(row).toEqual({ status: 'PENDING', blob_key: null });
    const retry = await fetch(local(upload.uploadUrl), {
      method: 'PUT',
      body: new Uint8Array(png),
      headers: { 'content-type': 'image/png' },
    });
    expect(retry.status).toBe(200);
  });
});
