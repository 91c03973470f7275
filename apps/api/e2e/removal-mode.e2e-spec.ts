import { CreditsService } from '../src/credits/credits.service';
import { aFundedTeam, aSignedInUser, type SignedInUser } from '../testing/builders';
import { startInferenceProcess, type InferenceProcess } from '../testing/inference-process';
import { waitForJob } from '../testing/jobs-client';
import { ledgerProblems } from '../testing/ledger-checks';
import { aSubjectImage, aTruncatedPng } from '../testing/test-images';
import { startTestApi, type TestApi } from '../testing/test-api';
import { startTestWorker } from '../testing/test-worker';

const CANCEL = `mutation($i: CancelJobInput!) { cancelJob(input: $i) { status creditsCharged creditsRefunded } }`;
const REMOVE_WITH_MODE = `mutation($i: RemoveBackgroundInput!) {
  removeBackground(input: $i) { id status creditsCharged creditsRefunded options { mode decontaminate type } }
}`;

/**
 * The removal's `mode` (STANDARD, HIGH: twice the price) and `decontaminate` options through the
 * real path: an API replica (ROLE=api, so jobs wait for a worker), a worker on the same database,
 * the real inference service with the tiny model and the real ledger. After every scenario each
 * team's balance equals its ledger's sum.
 */
describe('removal mode and decontaminate', () => {
  let inference: InferenceProcess;
  let t: TestApi;
  let owner: SignedInUser;
  /** A 640×480 PNG, base64: 0.31 MP, the full price (1 credit) unless capped. */
  let fullImage: string;
  const teams = new Set<string>();
  const queueEnv = { JOB_MAX_ATTEMPTS: '1', JOB_RETRY_DELAY_SECONDS: '0', JOB_HEARTBEAT_SECONDS: '10', QUEUE_MONITOR_SECONDS: '1' };

  beforeAll(async () => {
    inference = await startInferenceProcess({ model: 'tiny' });
    t = await startTestApi({ ROLE: 'api', INFERENCE_URLS: inference.address, ...queueEnv });
    owner = await aSignedInUser(t, 'mode-payer');
    fullImage = (await aSubjectImage('png', 640, 480)).toString('base64');
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await inference?.close();
  });
  afterEach(async () => {
    for (const teamId of teams) expect(await ledgerProblems(t, teamId)).toEqual([]);
  });

  const aTeamWith = async (credits: number) => {
    const teamId = await aFundedTeam(t, owner, credits);
    teams.add(teamId);
    return teamId;
  };
  const balance = (teamId: string) => t.api.app.get(CreditsService).balance(teamId);
  const submit = (teamId: string, key: string, options?: Record<string, unknown>, imageBase64 = fullImage) =>
    owner.client.gql(REMOVE_WITH_MODE, { i: { teamId, imageBase64, filename: `${key}.png`, idempotencyKey: key, options } });
  const submitted = async (teamId: string, key: string, options?: Record<string, unknown>, imageBase64?: string) => {
    const res = await submit(teamId, key, options, imageBase64);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data!.removeBackground as Record<string, any>;
  };
  const ledgerOf = (jobId: string) =>
    t.sql<{ kind: string; amount_quarters: number }>(
      'SELECT kind, amount_quarters FROM credit_ledger WHERE reference = $1 ORDER BY created_at, kind',
      [jobId],
    );
  const storedOptions = async (jobId: string) =>
    (await t.sql<{ options: Record<string, unknown> }>('SELECT options FROM jobs WHERE id = $1', [jobId]))[0].options;
  const charge = (quarters: number) => ({ kind: 'JOB_CHARGE', amount_quarters: -quarters });
  const refund = (quarters: number) => ({ kind: 'JOB_REFUND', amount_quarters: quarters });
  const withWorker = async <T>(work: () => Promise<T>): Promise<T> => {
    const worker = await startTestWorker(t, { INFERENCE_URLS: inference.address, ...queueEnv });
    try {
      return await work();
    } finally {
      await worker.close();
    }
  };

  it('charges HIGH twice the STANDARD price (full and preview), one ledger row each; a cancel before it runs refunds all of it', async () => {
    const teamId = await aTeamWith(10);
    const standard = await submitted(teamId, 'standard');
    const high = await submitted(teamId, 'high', { mode: 'HIGH' });
    const highPreview = await submitted(teamId, 'high-preview', { mode: 'HIGH', size: 'PREVIEW' });
    expect([standard, high, highPreview].map((job) => [job.creditsCharged, job.options.mode])).toEqual([
      [1, 'STANDARD'],
      [2, 'HIGH'],
      [0.5, 'HIGH'],
    ]);
    expect(await ledgerOf(standard.id)).toEqual([charge(4)]);
    expect(await ledgerOf(high.id)).toEqual([charge(8)]);
    expect(await ledgerOf(highPreview.id)).toEqual([charge(2)]);
    expect(await balance(teamId)).toEqual({ availableQuarters: 40 - 14, debtQuarters: 0 });

    expect((await owner.client.ok(CANCEL, { i: { id: high.id } })).cancelJob).toEqual({
      status: 'CANCELED',
      creditsCharged: 2,
      creditsRefunded: 2,
    });
    expect(await ledgerOf(high.id)).toEqual([charge(8), refund(8)]);
    expect(await balance(teamId)).toEqual({ availableQuarters: 40 - 6, debtQuarters: 0 });
    for (const job of [standard, highPreview]) await owner.client.ok(CANCEL, { i: { id: job.id } });
    expect(await balance(teamId)).toEqual({ availableQuarters: 40, debtQuarters: 0 });
  });

  it('refunds a HIGH job that fails (UNSUPPORTED_IMAGE) twice the standard price, once', async () => {
    const teamId = await aTeamWith(2);
    const job = await submitted(teamId, 'high-broken', { mode: 'HIGH' }, (await aTruncatedPng()).toString('base64'));
    expect(job.creditsCharged).toBe(2);
    const done = await withWorker(() => waitForJob(owner.client, job.id, 90_000));
    expect(done).toMatchObject({ status: 'FAILED', error: { code: 'UNSUPPORTED_IMAGE' }, creditsCharged: 2, creditsRefunded: 2 });
    expect(await ledgerOf(job.id)).toEqual([charge(8), refund(8)]);
    expect(await balance(teamId)).toEqual({ availableQuarters: 8, debtQuarters: 0 });
  }, 120_000);

  it('stores mode and decontaminate with the job, returns them on Job.options and runs them through inference', async () => {
    const teamId = await aTeamWith(3);
    const job = await submitted(teamId, 'high-raw-edges', { mode: 'HIGH', decontaminate: false });
    expect(job.options).toEqual({ mode: 'HIGH', decontaminate: false, type: 'CUTOUT' });
    expect(await storedOptions(job.id)).toMatchObject({ mode: 'high', decontaminate: false });
    const plain = await submitted(teamId, 'defaults');
    expect(plain.options).toEqual({ mode: 'STANDARD', decontaminate: true, type: 'CUTOUT' });
    expect(await storedOptions(plain.id)).toMatchObject({ mode: 'standard', decontaminate: true });

    const done = await withWorker(() => Promise.all([job, plain].map((j) => waitForJob(owner.client, j.id, 90_000))));
    expect(done.map((j) => [j.status, j.creditsCharged, j.creditsRefunded])).toEqual([
      ['SUCCEEDED', 2, 0],
      ['SUCCEEDED', 1, 0],
    ]);
    expect(done[0].result).toMatchObject({ contentType: 'image/png', width: 640, height: 480 });
    expect(await balance(teamId)).toEqual({ availableQuarters: 0, debtQuarters: 0 });
  }, 120_000);

  it('refuses an unknown mode (BAD_USER_INPUT) and decontaminate false on a mask (BAD_USER_INPUT naming it), charging nothing', async () => {
    const teamId = await aTeamWith(1);
    const unknownMode = await submit(teamId, 'ultra', { mode: 'ULTRA' });
    expect(unknownMode.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(unknownMode.errors?.[0].message).toMatch(/RemovalMode/);
    // Written into the document instead of a variable: the document does not match the schema.
    const literal = await owner.client.gql(
      `mutation { removeBackground(input: { teamId: "${teamId}", imageBase64: "${fullImage}", idempotencyKey: "lit", options: { mode: ULTRA } }) { id } }`,
    );
    expect(literal.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const maskWithout = await submit(teamId, 'mask-raw', { type: 'MASK', decontaminate: false });
    expect(maskWithout.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'options.decontaminate' });
    expect(maskWithout.errors?.[0].message).toBe('options.decontaminate: decontaminate applies to cut-outs only (a mask has no colours)');

    expect(await t.sql('SELECT id FROM jobs WHERE team_id = $1', [teamId])).toEqual([]);
    expect(await balance(teamId)).toEqual({ availableQuarters: 4, debtQuarters: 0 });
    // A mask with the default decontaminate is fine.
    expect((await submitted(teamId, 'mask', { type: 'MASK', size: 'PREVIEW', mode: 'HIGH' })).creditsCharged).toBe(0.5);
  });
});
