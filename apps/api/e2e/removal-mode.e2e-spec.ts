import { waitForJob } from '../testing/jobs-client';
import { CANCEL_JOB, charge, refund, usePaidJobsWorld } from '../testing/paid-jobs.world';
import { aTruncatedPng } from '../testing/test-images';

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
  const w = usePaidJobsWorld({ ownerName: 'mode-payer', maxAttempts: 1, removeMutation: REMOVE_WITH_MODE });
  const { aTeamWith, balance, submit, submitted, ledgerOf, withWorker } = w;
  const storedOptions = async (jobId: string) =>
    (await w.t.sql<{ options: Record<string, unknown> }>('SELECT options FROM jobs WHERE id = $1', [jobId]))[0].options;

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

    expect((await w.owner.client.ok(CANCEL_JOB, { i: { id: high.id } })).cancelJob).toEqual({
      status: 'CANCELED',
      creditsCharged: 2,
      creditsRefunded: 2,
    });
    expect(await ledgerOf(high.id)).toEqual([charge(8), refund(8)]);
    expect(await balance(teamId)).toEqual({ availableQuarters: 40 - 6, debtQuarters: 0 });
    for (const job of [standard, highPreview]) await w.owner.client.ok(CANCEL_JOB, { i: { id: job.id } });
    expect(await balance(teamId)).toEqual({ availableQuarters: 40, debtQuarters: 0 });
  });

  it('refunds a HIGH job that fails (UNSUPPORTED_IMAGE) twice the standard price, once', async () => {
    const teamId = await aTeamWith(2);
    const job = await submitted(teamId, 'high-broken', { mode: 'HIGH' }, (await aTruncatedPng()).toString('base64'));
    expect(job.creditsCharged).toBe(2);
    const done = await withWorker(() => waitForJob(w.owner.client, job.id, 90_000));
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

    const done = await withWorker(() => Promise.all([job, plain].map((j) => waitForJob(w.owner.client, j.id, 90_000))));
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
    const literal = await w.owner.client.gql(
      `mutation { removeBackground(input: { teamId: "${teamId}", imageBase64: "${w.fullImage}", idempotencyKey: "lit", options: { mode: ULTRA } }) { id } }`,
    );
    expect(literal.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const maskWithout = await submit(teamId, 'mask-raw', { type: 'MASK', decontaminate: false });
    expect(maskWithout.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'options.decontaminate' });
    expect(maskWithout.errors?.[0].message).toBe('options.decontaminate: decontaminate applies to cut-outs only (a mask has no colours)');

    expect(await w.t.sql('SELECT id FROM jobs WHERE team_id = $1', [teamId])).toEqual([]);
    expect(await balance(teamId)).toEqual({ availableQuarters: 4, debtQuarters: 0 });
    // A mask with the default decontaminate is fine.
    expect((await submitted(teamId, 'mask', { type: 'MASK', size: 'PREVIEW', mode: 'HIGH' })).creditsCharged).toBe(0.5);
  });
});
