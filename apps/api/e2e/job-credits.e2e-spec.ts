import { readdirSync } from 'node:fs';
import path from 'node:path';
import { spawnApiProcess } from '../testing/api-process';
import { fundTeam } from '../testing/builders';
import { followJob, REMOVE, uploadImage, waitForJob } from '../testing/jobs-client';
import { CANCEL_JOB, charge, refund, usePaidJobsWorld } from '../testing/paid-jobs.world';
import { aSubjectImage, aTruncatedPng } from '../testing/test-images';

/**
 * Jobs paid with credits, through the real path: an API replica (ROLE=api, so jobs wait until a
 * test starts a worker), workers on the same database (in this process, or a child process that
 * gets killed), the real inference service with the tiny model, and the real ledger. After every
 * scenario each team's balance equals its ledger's sum, and every job has exactly one charge and
 * a refund of it only when it ended FAILED or CANCELED.
 */
describe('charging jobs', () => {
  const w = usePaidJobsWorld({ ownerName: 'payer', maxAttempts: 2 });
  const { aTeamWith, balance, submit, submitted, ledgerOf, withWorker } = w;
  const count = async (sql: string, params: unknown[]) => Number((await w.t.sql<{ n: string }>(sql, params))[0].n);
  const uploadBlobs = (teamId: string) => {
    try {
      return readdirSync(path.join(w.t.dataDir, 'blobs', 'teams', teamId, 'uploads'));
    } catch {
      return [];
    }
  };

  it('publishes the price table to signed-in callers', async () => {
    const { prices } = await w.owner.client.ok(`{ prices { preview full previewMaxMegapixels highMultiplier } }`);
    expect(prices).toEqual({ preview: 0.25, full: 1, previewMaxMegapixels: 0.25, highMultiplier: 2 });
    expect(await w.t.client().errorCode(`{ prices { full } }`)).toBe('UNAUTHENTICATED');
  });

  it('charges by the size of the result, decided at submit: preview up to 0.25 MP, full above', async () => {
    const teamId = await aTeamWith(10);
    const quarterMegapixel = (await aSubjectImage('png', 500, 500)).toString('base64');
    const justAbove = (await aSubjectImage('png', 501, 500)).toString('base64');
    const cases: [key: string, options: Record<string, unknown> | undefined, image: string, credits: number][] = [
      ['full', undefined, w.fullImage, 1],
      ['preview', { size: 'PREVIEW' }, w.fullImage, 0.25],
      ['capped', { maxMegapixels: 0.25 }, w.fullImage, 0.25],
      ['cap-above-input', { maxMegapixels: 0.5 }, w.fullImage, 1],
      ['exactly-a-quarter', undefined, quarterMegapixel, 0.25],
      ['just-above', undefined, justAbove, 1],
    ];
    const charged: Record<string, number> = {};
    const ids: string[] = [];
    for (const [key, options, image] of cases) {
      const job = await submitted(teamId, key, options, image);
      charged[key] = job.creditsCharged;
      ids.push(job.id);
      expect(await ledgerOf(job.id)).toEqual([charge(job.creditsCharged * 4)]);
    }
    expect(charged).toEqual(Object.fromEntries(cases.map(([key, , , credits]) => [key, credits])));
    expect(await balance(teamId)).toEqual({ availableQuarters: 40 - 15, debtQuarters: 0 });

    // Canceled before a worker took them: each one refunded, all of it.
    for (const id of ids) expect((await w.owner.client.ok(CANCEL_JOB, { i: { id } })).cancelJob).toMatchObject({ status: 'CANCELED' });
    expect(await balance(teamId)).toEqual({ availableQuarters: 40, debtQuarters: 0 });
  });

  it('charges an idempotent retry once; a job canceled before it runs is refunded once', async () => {
    const teamId = await aTeamWith(2);
    const first = await submitted(teamId, 'same-key');
    const retries = await Promise.all(Array.from({ length: 5 }, () => submitted(teamId, 'same-key')));
    expect(new Set(retries.map((job) => job.id))).toEqual(new Set([first.id]));
    expect(await balance(teamId)).toEqual({ availableQuarters: 4, debtQuarters: 0 });
    expect(await ledgerOf(first.id)).toEqual([charge(4)]);

    expect((await w.owner.client.ok(CANCEL_JOB, { i: { id: first.id } })).cancelJob).toEqual({
      status: 'CANCELED',
      creditsCharged: 1,
      creditsRefunded: 1,
    });
    expect(await w.owner.client.errorCode(CANCEL_JOB, { i: { id: first.id } })).toBe('CONFLICT');
    // A retry after the end answers the canceled job and charges nothing.
    expect(await submitted(teamId, 'same-key')).toMatchObject({ id: first.id, status: 'CANCELED', creditsRefunded: 1 });
    expect(await ledgerOf(first.id)).toEqual([charge(4), refund(4)]);
    expect(await balance(teamId)).toEqual({ availableQuarters: 8, debtQuarters: 0 });
  });

  it('lets exactly 3 of 20 concurrent jobs take the last 3 credits; the others get INSUFFICIENT_CREDITS and leave nothing', async () => {
    const teamId = await aTeamWith(3);
    const messages = () => count(`SELECT count(*) AS n FROM pgboss.job WHERE name = 'remove-background'`, []);
    const messagesBefore = await messages();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => submit(teamId, `race-${i}`)));

    const started = answers.filter((a) => !a.errors).map((a) => a.data!.removeBackground as Record<string, any>);
    const refused = answers.filter((a) => a.errors).map((a) => a.errors![0]);
    expect(started).toHaveLength(3);
    expect(refused).toHaveLength(17);
    for (const error of refused) expect(error.extensions).toEqual({ code: 'INSUFFICIENT_CREDITS', required: 1, available: 0, debt: 0 });
    expect(await balance(teamId)).toEqual({ availableQuarters: 0, debtQuarters: 0 });
    // No job, no queue message and no stored image for a refused request.
    const jobIds = (await w.t.sql<{ id: string }>('SELECT id FROM jobs WHERE team_id = $1', [teamId])).map((r) => r.id);
    expect(jobIds.sort()).toEqual(started.map((job) => job.id).sort());
    expect(await messages()).toBe(messagesBefore + 3);
    expect(await count('SELECT count(*) AS n FROM uploads WHERE team_id = $1', [teamId])).toBe(3);
    expect(uploadBlobs(teamId)).toHaveLength(3);

    // The three run to the end; a success changes nothing.
    const done = await withWorker(() => Promise.all(started.map((job) => waitForJob(w.owner.client, job.id, 90_000))));
    expect(done.map((job) => [job.status, job.creditsCharged, job.creditsRefunded])).toEqual(Array(3).fill(['SUCCEEDED', 1, 0]));
    expect(await balance(teamId)).toEqual({ availableQuarters: 0, debtQuarters: 0 });
  }, 120_000);

  it('refunds a job that fails (UNSUPPORTED_IMAGE), once', async () => {
    const teamId = await aTeamWith(1);
    const job = await submitted(teamId, 'broken', undefined, (await aTruncatedPng()).toString('base64'));
    const done = await withWorker(() => waitForJob(w.owner.client, job.id, 90_000));
    expect(done).toMatchObject({ status: 'FAILED', error: { code: 'UNSUPPORTED_IMAGE' }, creditsRefunded: job.creditsCharged });
    expect(await ledgerOf(job.id)).toEqual([charge(job.creditsCharged * 4), refund(job.creditsCharged * 4)]);
    expect(await balance(teamId)).toEqual({ availableQuarters: 4, debtQuarters: 0 });
  }, 120_000);

  it('refunds a job canceled while it runs, once, whatever its worker does afterwards', async () => {
    const teamId = await aTeamWith(1);
    // A large refined cut-out; the inference server is frozen as soon as the job runs, so it is still running when canceled.
    const upload = await uploadImage(w.owner.client, teamId, await aSubjectImage('png', 3000, 2000), 'image/png', 'large.png');
    const { removeBackground: job } = await w.owner.client.ok(REMOVE, {
      i: { teamId, uploadId: upload.id, idempotencyKey: 'cancel-running', options: { refine: true } },
    });
    let canceled: Promise<Record<string, any>> | undefined;
    // Followed from before a worker exists, so the RUNNING event cannot be missed.
    const followed = followJob(w.owner.client, job.id, (event) => {
      if (event.status !== 'RUNNING' || canceled) return;
      w.inference.process.kill('SIGSTOP');
      canceled = w.owner.client.ok(CANCEL_JOB, { i: { id: job.id } });
    });
    try {
      await withWorker(async () => {
        const events = await followed;
        expect(events.at(-1)).toMatchObject({ status: 'CANCELED' });
        expect((await canceled)!.cancelJob).toEqual({ status: 'CANCELED', creditsCharged: 1, creditsRefunded: 1 });
        w.inference.process.kill('SIGCONT');
      });
    } finally {
      w.inference.process.kill('SIGCONT');
    }
    // The worker has stopped (its call aborted): still one charge and one refund.
    expect(await ledgerOf(job.id)).toEqual([charge(4), refund(4)]);
    expect(await balance(teamId)).toEqual({ availableQuarters: 4, debtQuarters: 0 });
  }, 120_000);

  it('charges a job whose worker is killed mid-job once, and never refunds it when another worker finishes it', async () => {
    const teamId = await aTeamWith(1);
    const doomed = spawnApiProcess({
      ...w.t.env,
      ...w.queueEnv,
      ROLE: 'worker',
      PORT: '0',
      INFERENCE_URLS: w.inference.address,
      LOG_LEVEL: 'info',
    });
    try {
      await doomed.waitFor('worker started', 90_000);
      const upload = await uploadImage(w.owner.client, teamId, await aSubjectImage('png', 3000, 2000), 'image/png', 'killed.png');
      const { removeBackground: job } = await w.owner.client.ok(REMOVE, {
        i: { teamId, uploadId: upload.id, idempotencyKey: 'killed', options: { refine: true } },
      });
      let killed = false;
      const finished = followJob(w.owner.client, job.id, (event) => {
        if (event.status === 'RUNNING' && !killed) killed = doomed.process.kill('SIGKILL');
      });
      expect(await doomed.exited).toBe(null);
      // Its heartbeat stops; the queue hands the job to this worker, which runs attempt 2.
      const events = await withWorker(() => finished);
      expect(events.at(-1)).toMatchObject({ status: 'SUCCEEDED' });
      expect(await waitForJob(w.owner.client, job.id)).toMatchObject({
        status: 'SUCCEEDED',
        attempts: 2,
        creditsCharged: 1,
        creditsRefunded: 0,
      });
      expect(await ledgerOf(job.id)).toEqual([charge(4)]);
      expect(await balance(teamId)).toEqual({ availableQuarters: 0, debtQuarters: 0 });
    } finally {
      await doomed.stop('SIGKILL');
    }
  }, 180_000);

  it('refuses new jobs while the team owes credits, and takes them again once the debt is paid', async () => {
    const teamId = await aTeamWith(1);
    await fundTeam(w.t, teamId, -3); // takes the 1 credit, and 2 more are owed
    expect(await balance(teamId)).toEqual({ availableQuarters: 0, debtQuarters: 8 });
    const refused = await submit(teamId, 'in-debt', { size: 'PREVIEW' });
    expect(refused.errors?.[0].extensions).toEqual({ code: 'INSUFFICIENT_CREDITS', required: 0.25, available: 0, debt: 2 });
    expect(await count('SELECT count(*) AS n FROM jobs WHERE team_id = $1', [teamId])).toBe(0);
    expect(await count('SELECT count(*) AS n FROM uploads WHERE team_id = $1', [teamId])).toBe(0);

    await fundTeam(w.t, teamId, 2.25); // pays the 2 owed first
    expect(await balance(teamId)).toEqual({ availableQuarters: 1, debtQuarters: 0 });
    // The same key again: the refused request left nothing that would answer it.
    const job = await submitted(teamId, 'in-debt', { size: 'PREVIEW' });
    expect(job).toMatchObject({ status: 'QUEUED', creditsCharged: 0.25, creditsRefunded: 0 });
    expect(await balance(teamId)).toEqual({ availableQuarters: 0, debtQuarters: 0 });
    await w.owner.client.ok(CANCEL_JOB, { i: { id: job.id } });
  });
});
