import sharp from 'sharp';
import { aSignedInUser, anApiKey, withTeamRole, type SignedInUser } from '../testing/builders';
import { startInferenceProcess, type InferenceProcess } from '../testing/inference-process';
import { REMOVE, uploadImage, waitForJob } from '../testing/jobs-client';
import { aSubjectImage } from '../testing/test-images';
import { startTestApi, type TestApi } from '../testing/test-api';
import { FakeClock } from '../src/common/clock.fake';
import { UrlSigner } from '../src/common/url-signer';
import { RetentionSweeperService } from '../src/privacy/retention/retention-sweeper.service';

const local = (url: string) => url.replace('localhost', '127.0.0.1');
const LINKS = `query($id: ID!) { job(id: $id) { id status inputUrl thumbnailUrl resultUrl } }`;

async function restError(res: Response): Promise<[number, string]> {
  const body = (await res.json()) as { error: { code: string } };
  return [res.status, body.error.code];
}

/**
 * What the dashboard's pages read besides resultUrl: the inference service's models, the original
 * (Job.inputUrl) and a preview of the result (Job.thumbnailUrl), each a signed, expiring link
 * checked like resultUrl, with a real job through the tiny model and a moved clock for retention.
 */
describe('models, Job.inputUrl and Job.thumbnailUrl', () => {
  const clock = new FakeClock();
  let inference: InferenceProcess;
  let t: TestApi;
  let owner: SignedInUser;
  let outsider: SignedInUser;
  let original: Buffer;
  let job: { id: string; inputUrl: string; thumbnailUrl: string; resultUrl: string };

  beforeAll(async () => {
    inference = await startInferenceProcess({ model: 'tiny' });
    t = await startTestApi({ INFERENCE_URLS: inference.address, DOWNLOAD_URL_TTL_SECONDS: '60' }, { clock });
    owner = await aSignedInUser(t, 'links');
    outsider = await aSignedInUser(t, 'outsider');
    original = await aSubjectImage('png', 640, 480);
    const { id: uploadId, put } = await uploadImage(owner.client, owner.personalTeamId, original);
    expect(put.status).toBe(200);
    const { removeBackground } = await owner.client.ok(REMOVE, {
      i: { teamId: owner.personalTeamId, uploadId, idempotencyKey: 'links' },
    });
    expect((await waitForJob(owner.client, removeBackground.id)).status).toBe('SUCCEEDED');
    const { job: j } = await owner.client.ok(LINKS, { id: removeBackground.id });
    job = { id: j.id, inputUrl: local(j.inputUrl), thumbnailUrl: local(j.thumbnailUrl), resultUrl: local(j.resultUrl) };
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await inference?.close();
  });

  it('models lists the inference service’s models for any signed-in caller, and refuses anonymous callers', async () => {
    const { models } = await owner.client.ok(`{ models { id name inputWidth inputHeight licence available isDefault } }`);
    expect(models).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: 'tiny',
          available: true,
          isDefault: true,
          inputWidth: expect.any(Number),
          licence: expect.any(String),
        }),
      ]),
    );
    expect(models.filter((m: { isDefault: boolean }) => m.isDefault)).toHaveLength(1);
    expect(await t.client().errorCode(`{ models { id } }`)).toBe('UNAUTHENTICATED');
  });

  it('inputUrl serves the original byte for byte; thumbnailUrl a WebP of the result within 320 × 320', async () => {
    const input = await fetch(job.inputUrl);
    expect([input.status, input.headers.get('content-type'), input.headers.get('cache-control')]).toEqual([
      200,
      'image/png',
      'private, no-store',
    ]);
    expect(Buffer.from(await input.arrayBuffer()).equals(original)).toBe(true);

    const thumbnail = await fetch(job.thumbnailUrl);
    expect([thumbnail.status, thumbnail.headers.get('content-type')]).toEqual([200, 'image/webp']);
    expect(thumbnail.headers.get('cache-control')).toMatch(/^private, max-age=\d+$/);
    const meta = await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height, meta.hasAlpha]).toEqual(['webp', 320, 240, true]);
  });

  it('refuses forged, expired, bare and swapped links with 403 INVALID_TOKEN', async () => {
    const forged = job.inputUrl.replace(/signature=([^&]+)/, (_, s: string) => `signature=${s.startsWith('A') ? 'B' : 'A'}${s.slice(1)}`);
    expect(await restError(await fetch(forged))).toEqual([403, 'INVALID_TOKEN']);
    expect(await restError(await fetch(job.thumbnailUrl.replace(/\?.*$/, '')))).toEqual([403, 'INVALID_TOKEN']);
    // A result link's signature opens neither the original nor the thumbnail.
    const resultQuery = job.resultUrl.split('?')[1];
    expect(await restError(await fetch(`${t.url}/downloads/${job.id}/input?${resultQuery}`))).toEqual([403, 'INVALID_TOKEN']);
    expect(await restError(await fetch(`${t.url}/downloads/${job.id}/thumbnail?${resultQuery}`))).toEqual([403, 'INVALID_TOKEN']);
    // Issued longer ago than DOWNLOAD_URL_TTL_SECONDS (60 here).
    for (const file of ['input', 'thumbnail']) {
      const signPath = `/downloads/${job.id}/${file}`;
      const { query } = t.api.app
        .get(UrlSigner)
        .sign(signPath, 60, new URL(job.resultUrl).searchParams.get('by') ?? '', Date.now() - 61_000);
      expect(await restError(await fetch(`${t.url}${signPath}?${query}`))).toEqual([403, 'INVALID_TOKEN']);
    }
  });

  it('ends a link with the credential it was made for: a revoked key, a removed member, a signed-out session (403 INVALID_TOKEN); others’ links go on', async () => {
    const linksOf = async (client: SignedInUser['client']) => {
      const { job: j } = await client.ok(LINKS, { id: job.id });
      return [local(j.resultUrl), local(j.inputUrl), local(j.thumbnailUrl)];
    };
    const statuses = async (urls: string[]) => Promise.all(urls.map(async (u) => (await fetch(u)).status));
    const team = owner.personalTeamId;
    const member = await aSignedInUser(t, 'links-member');
    const leaving = await aSignedInUser(t, 'links-signs-out');
    await withTeamRole(t, owner, team, member, 'MEMBER');
    await withTeamRole(t, owner, team, leaving, 'MEMBER');
    const keySecret = await anApiKey(owner, team);
    const keyClient = t.client().withApiKey(keySecret);
    const [byKey, byMember, bySession] = [await linksOf(keyClient), await linksOf(member.client), await linksOf(leaving.client)];
    for (const urls of [byKey, byMember, bySession]) expect(await statuses(urls)).toEqual([200, 200, 200]);

    // A link names its holder under the signature: another holder's name does not verify.
    const swapped = new URL(bySession[0]);
    swapped.searchParams.set('by', new URL(byMember[0]).searchParams.get('by')!);
    expect(await restError(await fetch(swapped))).toEqual([403, 'INVALID_TOKEN']);

    const { apiKeys } = await owner.client.ok(`query($t: ID!) { apiKeys(teamId: $t) { edges { node { id prefix } } } }`, { t: team });
    const keyId = apiKeys.edges.find((e: { node: { prefix: string } }) => keySecret.startsWith(e.node.prefix)).node.id;
    await owner.client.ok(`mutation($i: RevokeApiKeyInput!) { revokeApiKey(input: $i) { id } }`, { i: { id: keyId } });
    await owner.client.ok(`mutation($i: RemoveMemberInput!) { removeMember(input: $i) { id } }`, {
      i: { teamId: team, userId: member.id },
    });
    await leaving.client.ok(`mutation { signOut }`);
    for (const url of [...byKey, ...byMember, ...bySession]) expect(await restError(await fetch(url))).toEqual([403, 'INVALID_TOKEN']);
    // The owner's own links still open.
    expect(await statuses(await linksOf(owner.client))).toEqual([200, 200, 200]);
  });

  it('gives another team’s member no link: job(id) and the team’s jobs are NOT_FOUND for them', async () => {
    expect(await outsider.client.errorCode(LINKS, { id: job.id })).toBe('NOT_FOUND');
    expect(
      await outsider.client.errorCode(`query($t: ID!) { jobs(teamId: $t) { edges { node { inputUrl } } } }`, { t: owner.personalTeamId }),
    ).toBe('NOT_FOUND');
  });

  it('once the retention policy deleted the original: inputUrl is null, the old link answers 410 INPUT_EXPIRED, the thumbnail stays', async () => {
    clock.advanceHours(25);
    await t.api.app.get(RetentionSweeperService).sweepOnce();
    expect(await t.sql('SELECT input_blob_key FROM jobs WHERE id = $1', [job.id])).toEqual([{ input_blob_key: null }]);
    const { job: after } = await owner.client.ok(LINKS, { id: job.id });
    expect(after).toMatchObject({ inputUrl: null, thumbnailUrl: expect.stringContaining(`/downloads/${job.id}/thumbnail?`) });
    expect(await restError(await fetch(job.inputUrl))).toEqual([410, 'INPUT_EXPIRED']);
  });

  it('once the result is deleted too: thumbnailUrl is null and the old thumbnail link answers 410 RESULT_EXPIRED', async () => {
    clock.advanceHours(24 * 7);
    await t.api.app.get(RetentionSweeperService).sweepOnce();
    const { job: after } = await owner.client.ok(LINKS, { id: job.id });
    expect(after).toMatchObject({ inputUrl: null, thumbnailUrl: null, resultUrl: null });
    expect(await restError(await fetch(job.thumbnailUrl))).toEqual([410, 'RESULT_EXPIRED']);
  });
});

describe('models while no inference server answers', () => {
  let t: TestApi;
  beforeAll(async () => {
    // A port nothing listens on: the gateway's ListModels fails as UNAVAILABLE.
    t = await startTestApi({ INFERENCE_URLS: '127.0.0.1:1' });
  });
  afterAll(() => t?.close());

  it('answers an empty list rather than an error, so the dashboard still offers the default model', async () => {
    const user = await aSignedInUser(t, 'no-inference');
    expect(await user.client.ok(`{ models { id } }`)).toEqual({ models: [] });
  });
});
