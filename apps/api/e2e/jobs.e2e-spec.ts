import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { findFreePort } from '@cutout/embedded-db';
import { aSignedInUser, anApiKey, type SignedInUser } from '../testing/builders';
import { wsRequest, type TestClient } from '../testing/graphql-client';
import { startInferenceProcess, type InferenceProcess } from '../testing/inference-process';
import { JOB_UPDATED, REMOVE, TEAM_JOBS, untilTeamJobsLive, uploadImage, waitForJob } from '../testing/jobs-client';
import { aPixelBombPng, aSubjectImage, aTruncatedPng } from '../testing/test-images';
import { startTestApi, type TestApi } from '../testing/test-api';

async function statusAndCode(res: Response): Promise<[number, string]> {
  const body = (await res.json()) as { error: { code: string } };
  return [res.status, body.error.code];
}

/** The main flow with every real part: embedded PostgreSQL, the inference service (tiny model), graphql-ws. */
describe('background removal jobs', () => {
  let inference: InferenceProcess;
  let t: TestApi;
  let owner: SignedInUser;
  let key: TestClient;
  let teamId: string;

  beforeAll(async () => {
    inference = await startInferenceProcess({ model: 'tiny' });
    t = await startTestApi({ INFERENCE_URLS: inference.address, UPLOAD_URL_TTL_SECONDS: '60' });
    owner = await aSignedInUser(t, 'jobs');
    teamId = owner.personalTeamId;
    key = t.client().withApiKey(await anApiKey(owner, teamId));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await inference?.close();
  });

  const counts = async () => {
    const [row] = await t.sql<{ jobs: string; uploads: string }>(
      'SELECT (SELECT count(*) FROM jobs) AS jobs, (SELECT count(*) FROM uploads) AS uploads',
    );
    return row;
  };

  it('uploads, streams progress over graphql-ws, and downloads an encrypted-at-rest result', async () => {
    const photo = await aSubjectImage('jpeg', 320, 240);
    const upload = await uploadImage(key, teamId, photo, 'image/jpeg', 'holiday photo.jpg');
    expect(upload.put.status).toBe(200);
    expect(await upload.put.json()).toEqual({ id: upload.id, contentType: 'image/jpeg', width: 320, height: 240, bytes: photo.length });

    const { removeBackground: job } = await key.ok(REMOVE, {
      i: { teamId, uploadId: upload.id, idempotencyKey: 'first', options: { format: 'PNG' } },
    });
    expect(job).toMatchObject({
      status: 'QUEUED',
      input: { contentType: 'image/jpeg', width: 320, height: 240 },
      options: { format: 'PNG', type: 'CUTOUT' },
    });

    const ws = key.ws({ authorization: `Bearer ${key.apiKey}` });
    const events: { status: string; stage: string; progress: number; resultUrl: string | null }[] = [];
    await new Promise<void>((resolve, reject) =>
      ws.subscribe<{ jobUpdated: (typeof events)[number] }>(
        { query: JOB_UPDATED, variables: { id: job.id } },
        {
          next: (v) => (v.errors ? reject(new Error(JSON.stringify(v.errors))) : events.push(v.data!.jobUpdated)),
          error: reject,
          complete: resolve,
        },
      ),
    );
    await ws.dispose();
    const last = events.at(-1)!;
    expect(last).toMatchObject({
      status: 'SUCCEEDED',
      stage: 'STORED',
      progress: 1,
      resultUrl: expect.stringContaining(`/downloads/${job.id}?`),
    });
    expect(events.map((e) => e.stage)).toEqual(expect.arrayContaining(['INFERENCE', 'ENCODED', 'STORED']));
    for (let i = 1; i < events.length; i++) expect(events[i].progress).toBeGreaterThanOrEqual(events[i - 1].progress);

    const download = await fetch(last.resultUrl!.replace('localhost', '127.0.0.1'));
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="holiday_photo-cutout.png"');
    const result = Buffer.from(await download.arrayBuffer());
    const meta = await sharp(result).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 320, height: 240, hasAlpha: true });

    const [row] = await t.sql<{ result_blob_key: string; input_blob_key: string }>(
      'SELECT result_blob_key, input_blob_key FROM jobs WHERE id = $1',
      [job.id],
    );
    const onDisk = readFileSync(path.join(t.dataDir, 'blobs', row.result_blob_key));
    expect(readFileSync(path.join(t.dataDir, 'blobs', row.input_blob_key)).includes(photo.subarray(0, 64))).toBe(false);
    expect(onDisk.subarray(0, 4).toString()).toBe('CUT2');
    expect(onDisk.includes(result.subarray(0, 64))).toBe(false);

    const tampered = last.resultUrl!.replace(/signature=([0-9a-f])/, (_m, c: string) => `signature=${c === '0' ? '1' : '0'}`);
    expect((await fetch(tampered.replace('localhost', '127.0.0.1'))).status).toBe(403);
  });

  it('accepts inline base64 images and is idempotent per key', async () => {
    const imageBase64 = (await aSubjectImage('webp', 200, 200)).toString('base64');
    const first = (
      await key.ok(REMOVE, { i: { teamId, imageBase64, filename: 'inline.webp', idempotencyKey: 'inline-1', options: { type: 'MASK' } } })
    ).removeBackground;
    const again = (await key.ok(REMOVE, { i: { teamId, imageBase64, idempotencyKey: 'inline-1' } })).removeBackground;
    expect(again.id).toBe(first.id);
    const done = await waitForJob(key, first.id);
    expect(done).toMatchObject({
      status: 'SUCCEEDED',
      result: { contentType: 'image/png', width: 200, height: 200 },
      options: { type: 'MASK' },
    });
    const [{ n }] = await t.sql<{ n: string }>(`SELECT count(*) AS n FROM jobs WHERE idempotency_key = 'inline-1'`);
    expect(Number(n)).toBe(1);
  });

  it('refuses bad uploads on the signed URL with documented codes and stores nothing', async () => {
    const png = await aSubjectImage('png');
    const { createUpload } = await key.ok(`mutation($i: CreateUploadInput!) { createUpload(input: $i) { id uploadUrl } }`, {
      i: { teamId, filename: 'a.png', contentType: 'image/png', byteSize: png.length },
    });
    const url = createUpload.uploadUrl.replace('localhost', '127.0.0.1');
    const put = (body: Buffer, target = url) => fetch(target, { method: 'PUT', body: new Uint8Array(body) });
    const larger = await put(Buffer.concat([png, png]));
    expect(await statusAndCode(larger)).toEqual([413, 'IMAGE_TOO_LARGE']);
    const text = await put(Buffer.alloc(png.length, 'a'));
    expect(await statusAndCode(text)).toEqual([415, 'UNSUPPORTED_IMAGE']);
    const forged = await put(png, url.replace(/token=[^&]+/, 'token=forged'));
    expect(await statusAndCode(forged)).toEqual([403, 'INVALID_TOKEN']);
    expect((await put(png)).status).toBe(200);
    const reused = await put(png);
    expect(await statusAndCode(reused)).toEqual([403, 'INVALID_TOKEN']);
    const unknown = await put(png, url.replace(createUpload.id, '00000000-0000-4000-8000-000000000000'));
    expect(await statusAndCode(unknown)).toEqual([404, 'NOT_FOUND']);

    const bomb = aPixelBombPng();
    const bombUpload = await uploadImage(key, teamId, bomb, 'image/png');
    expect(await statusAndCode(bombUpload.put)).toEqual([413, 'IMAGE_TOO_LARGE']);
    const [{ n }] = await t.sql<{ n: string }>(`SELECT count(*) AS n FROM uploads WHERE id = $1 AND blob_key IS NOT NULL`, [bombUpload.id]);
    expect(Number(n)).toBe(0);

    const expired = await key.ok(`mutation($i: CreateUploadInput!) { createUpload(input: $i) { id uploadUrl } }`, {
      i: { teamId, filename: 'b.png', contentType: 'image/png', byteSize: png.length },
    });
    await t.sql(`UPDATE uploads SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired.createUpload.id]);
    const late = await put(png, expired.createUpload.uploadUrl.replace('localhost', '127.0.0.1'));
    expect(await statusAndCode(late)).toEqual([403, 'INVALID_TOKEN']);
  });

  it('refuses bad job requests without creating anything', async () => {
    const before = await counts();
    const other = await aSignedInUser(t, 'othertea');
    const foreign = await uploadImage(other.client, other.personalTeamId, await aSubjectImage('png'), 'image/png');
    const pending = (
      await key.ok(`mutation($i: CreateUploadInput!) { createUpload(input: $i) { id } }`, {
        i: { teamId, filename: 'p.png', contentType: 'image/png', byteSize: 10 },
      })
    ).createUpload.id;
    const afterSetup = await counts();
    const cases: [Record<string, unknown>, string][] = [
      [{ uploadId: '00000000-0000-4000-8000-000000000000' }, 'NOT_FOUND'],
      [{ uploadId: foreign.id }, 'NOT_FOUND'],
      [{ uploadId: pending }, 'CONFLICT'],
      [{}, 'BAD_USER_INPUT'],
      [{ imageBase64: Buffer.from('not an image').toString('base64') }, 'UNSUPPORTED_IMAGE'],
      [{ imageBase64: '!!!' }, 'BAD_USER_INPUT'],
      [{ imageBase64: aPixelBombPng().toString('base64') }, 'IMAGE_TOO_LARGE'],
      [{ uploadId: foreign.id, options: { format: 'JPG' } }, 'BAD_USER_INPUT'],
      [{ imageBase64: 'AAAA', options: { bgColor: 'blue' } }, 'BAD_USER_INPUT'],
      [{ imageBase64: 'AAAA', options: { model: 'no-such-model' } }, 'BAD_USER_INPUT'],
    ];
    for (const [fields, code] of cases) {
      const res = await key.gql(REMOVE, { i: { teamId, idempotencyKey: `bad-${code}-${Math.random()}`, ...fields } });
      expect([JSON.stringify(fields), res.errors?.[0].extensions?.code]).toEqual([JSON.stringify(fields), code]);
    }
    expect(await key.errorCode(REMOVE, { i: { teamId, uploadId: foreign.id, idempotencyKey: 'has spaces' } })).toBe('BAD_USER_INPUT');
    expect(await counts()).toEqual(afterSetup);
    expect(Number(afterSetup.jobs)).toBe(Number(before.jobs));
  });

  it('fails a corrupt image with a machine-readable code', async () => {
    const truncated = await aTruncatedPng();
    const upload = await uploadImage(key, teamId, truncated, 'image/png');
    expect(upload.put.status).toBe(200);
    const { removeBackground } = await key.ok(REMOVE, { i: { teamId, uploadId: upload.id, idempotencyKey: 'corrupt' } });
    const done = await waitForJob(key, removeBackground.id);
    expect(done).toMatchObject({ status: 'FAILED', error: { code: 'UNSUPPORTED_IMAGE' }, resultUrl: null, attempts: 1 });
  });

  it('cancels a queued job; a finished job cannot be canceled', async () => {
    // An API without workers (ROLE=api) keeps jobs queued.
    const apiOnly = await startTestApi({ ROLE: 'api', INFERENCE_URLS: inference.address });
    try {
      const user = await aSignedInUser(apiOnly, 'canceler');
      const imageBase64 = (await aSubjectImage('png')).toString('base64');
      const { removeBackground } = await user.client.ok(REMOVE, {
        i: { teamId: user.personalTeamId, imageBase64, idempotencyKey: 'to-cancel' },
      });
      expect(removeBackground.status).toBe('QUEUED');
      const CANCEL = `mutation($i: CancelJobInput!) { cancelJob(input: $i) { status error { code } } }`;
      expect((await user.client.ok(CANCEL, { i: { id: removeBackground.id } })).cancelJob).toEqual({
        status: 'CANCELED',
        error: { code: 'CANCELED' },
      });
      expect(await user.client.errorCode(CANCEL, { i: { id: removeBackground.id } })).toBe('CONFLICT');
      expect(await key.errorCode(CANCEL, { i: { id: removeBackground.id } })).toBe('NOT_FOUND');
    } finally {
      await apiOnly.close();
    }
  });

  it('streams every job of a team on teamJobs', async () => {
    const ws = key.ws({ authorization: `Bearer ${key.apiKey}` });
    const seen: { jobId: string; status: string }[] = [];
    let jobId = '';
    const finished = new Promise<void>((resolve, reject) =>
      ws.subscribe<{ teamJobs: { jobId: string; status: string } }>(
        { query: TEAM_JOBS, variables: { t: teamId } },
        {
          next: (v) => {
            if (v.errors) return reject(new Error(JSON.stringify(v.errors)));
            seen.push(v.data!.teamJobs);
            if (v.data!.teamJobs.jobId === jobId && v.data!.teamJobs.status === 'SUCCEEDED') resolve();
          },
          error: reject,
          complete: resolve,
        },
      ),
    );
    // Regression: a fixed 200 ms wait for the subscription missed QUEUED on a loaded machine.
    await untilTeamJobsLive(t, teamId, (probe) => seen.some((e) => e.jobId === probe));
    const imageBase64 = (await aSubjectImage('png', 64, 64)).toString('base64');
    jobId = (await key.ok(REMOVE, { i: { teamId, imageBase64, idempotencyKey: 'team-stream' } })).removeBackground.id;
    await finished;
    await ws.dispose();
    expect(seen.filter((e) => e.jobId === jobId).map((e) => e.status)).toEqual(expect.arrayContaining(['QUEUED', 'RUNNING', 'SUCCEEDED']));
  });

  it('holds queued jobs while no inference server is healthy, and runs them on their first attempt once one is', async () => {
    const port = await findFreePort();
    const waiting = await startTestApi({
      INFERENCE_URLS: `127.0.0.1:${port}`,
      JOB_MAX_ATTEMPTS: '2',
      JOB_RETRY_DELAY_SECONDS: '0',
      JOB_INFERENCE_WAIT_SECONDS: '60',
    });
    let late: InferenceProcess | undefined;
    try {
      const user = await aSignedInUser(waiting, 'holdoff');
      const imageBase64 = (await aSubjectImage('png', 64, 64)).toString('base64');
      const { removeBackground } = await user.client.ok(REMOVE, {
        i: { teamId: user.personalTeamId, imageBase64, idempotencyKey: 'hold-off' },
      });
      expect(await (await fetch(`${waiting.url}/readyz`)).json()).toMatchObject({ status: 'ready', inference: { healthy: 0, total: 1 } });
      // Without the hold-off, both attempts fail at once (no delay between them) while nothing listens.
      await new Promise((r) => setTimeout(r, 1500));
      expect((await user.client.ok(`query($id: ID!) { job(id: $id) { status attempts } }`, { id: removeBackground.id })).job).toEqual({
        status: 'QUEUED',
        attempts: 0,
      });
      late = await startInferenceProcess({ model: 'tiny', env: { INFERENCE_PORT: String(port) } });
      expect(await waitForJob(user.client, removeBackground.id, 60_000)).toMatchObject({ status: 'SUCCEEDED', attempts: 1 });
      expect(await (await fetch(`${waiting.url}/readyz`)).json()).toMatchObject({ status: 'ready', inference: { healthy: 1, total: 1 } });
    } finally {
      await waiting.close();
      await late?.close();
    }
  }, 90_000);

  it('fails jobs with INFERENCE_UNAVAILABLE after bounded retries when the inference service stays down past the wait', async () => {
    const down = await startTestApi({
      INFERENCE_URLS: `127.0.0.1:${await findFreePort()}`,
      JOB_MAX_ATTEMPTS: '2',
      JOB_RETRY_DELAY_SECONDS: '0',
      INFERENCE_DEADLINE_SECONDS: '5',
      JOB_INFERENCE_WAIT_SECONDS: '1',
    });
    try {
      const user = await aSignedInUser(down, 'nodown');
      const imageBase64 = (await aSubjectImage('png')).toString('base64');
      const { removeBackground } = await user.client.ok(REMOVE, {
        i: { teamId: user.personalTeamId, imageBase64, idempotencyKey: 'down' },
      });
      const done = await waitForJob(user.client, removeBackground.id, 60_000);
      expect(done).toMatchObject({ status: 'FAILED', attempts: 2, error: { code: 'INFERENCE_UNAVAILABLE' }, resultUrl: null });
    } finally {
      await down.close();
    }
  }, 90_000);

  it('lists a team’s jobs with cursors and keeps other teams out', async () => {
    const imageBase64 = (await aSubjectImage('png', 64, 64)).toString('base64');
    for (const k of ['list-1', 'list-2', 'list-3'])
      await waitForJob(key, (await key.ok(REMOVE, { i: { teamId, imageBase64, idempotencyKey: k } })).removeBackground.id);
    // Every SUCCEEDED job of the team, newest first (the order pages follow).
    const expected = (
      await t.sql<{ id: string }>(`SELECT id FROM jobs WHERE team_id = $1 AND status = 'SUCCEEDED' ORDER BY created_at DESC, id DESC`, [
        teamId,
      ])
    ).map((r) => r.id);
    expect(expected.length).toBeGreaterThanOrEqual(3);
    const PAGE = `query($t: ID!, $after: String) { jobs(teamId: $t, first: 2, status: SUCCEEDED, after: $after) { edges { node { id status } } pageInfo { hasNextPage endCursor } } }`;
    const pages: { ids: string[]; hasNextPage: boolean }[] = [];
    let after: string | null = null;
    do {
      const {
        jobs: page,
      }: { jobs: { edges: { node: { id: string; status: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } =
        await key.ok(PAGE, {
          t: teamId,
          after,
        });
      const nodes = page.edges.map((e) => e.node);
      expect(nodes.every((n) => n.status === 'SUCCEEDED')).toBe(true);
      pages.push({ ids: nodes.map((n) => n.id), hasNextPage: page.pageInfo.hasNextPage });
      expect(page.pageInfo.endCursor).toEqual(expect.any(String));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after && pages.length <= expected.length);
    // Full pages of 2 with hasNextPage until the last one; no job twice, none missing, in order.
    expect(pages.map((p) => p.ids.length)).toEqual(
      Array.from({ length: Math.ceil(expected.length / 2) }, (_, i) => Math.min(2, expected.length - i * 2)),
    );
    expect(pages.map((p) => p.hasNextPage)).toEqual(pages.map((_, i) => i < pages.length - 1));
    expect(pages.flatMap((p) => p.ids)).toEqual(expected);
    const outsider = await aSignedInUser(t, 'outsider');
    const someJob = expected[0];
    expect(await outsider.client.errorCode(`query($id: ID!) { job(id: $id) { id } }`, { id: someJob })).toBe('NOT_FOUND');
    expect(await outsider.client.errorCode(`query($t: ID!) { jobs(teamId: $t) { edges { node { id } } } }`, { t: teamId })).toBe(
      'NOT_FOUND',
    );
    const ws = outsider.client.ws();
    try {
      const denied = await wsRequest(ws, JOB_UPDATED, { id: someJob });
      expect(denied.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    } finally {
      await ws.dispose();
    }
  });
});
