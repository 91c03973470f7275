import { aSignedInUser } from '../../../testing/builders';
import { eventually, startHoldingInference, type HoldingInference } from '../../../testing/holding-inference.server';
import { JOB_UPDATED, REMOVE, TEAM_JOBS, untilTeamJobsLive, uploadImage } from '../../../testing/jobs-client';
import { aNoisePng } from '../../../testing/test-images';
import { startTestApi, type TestApi } from '../../../testing/test-api';

const CANCEL = `mutation($i: CancelJobInput!) { cancelJob(input: $i) { status } }`;

/**
 * The API's LISTEN connection drops (a PostgreSQL restart, a failover, an idle-connection killer):
 * one new connection replaces it, and open subscriptions catch up on what changed meanwhile,
 * each change delivered once. The connection is really killed (pg_terminate_backend).
 */
describe('job events after the LISTEN connection dropped', () => {
  let inference: HoldingInference;
  let t: TestApi;

  beforeAll(async () => {
    inference = await startHoldingInference();
    t = await startTestApi({ INFERENCE_URLS: inference.address, JOB_INFERENCE_WAIT_SECONDS: '0', INFERENCE_DEADLINE_SECONDS: '600' });
  });
  afterAll(async () => {
    await t.close();
    inference.close();
  });

  const listeners = async () =>
    (
      await t.sql<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE application_name = 'cutout-job-events' AND datname = current_database()`,
      )
    ).map((row) => row.pid);

  async function aUserWithAJob(key: string) {
    const user = await aSignedInUser(t);
    const submit = async (idempotencyKey: string) => {
      const upload = await uploadImage(user.client, user.personalTeamId, await aNoisePng(20_000, 64));
      const { removeBackground } = await user.client.ok(REMOVE, {
        i: { teamId: user.personalTeamId, uploadId: upload.id, idempotencyKey },
      });
      return removeBackground.id as string;
    };
    const calls = inference.calls.length;
    const jobId = await submit(key);
    await eventually(() => inference.calls.length === calls + 1);
    const ws = user.client.ws();
    const team: { jobId: string; status: string; stage: string; progress: number }[] = [];
    ws.subscribe(
      { query: TEAM_JOBS, variables: { t: user.personalTeamId } },
      { next: (v: any) => team.push(v.data?.teamJobs ?? v.errors), error: () => undefined, complete: () => undefined },
    );
    await untilTeamJobsLive(t, user.personalTeamId, (probe) => team.some((e) => e.jobId === probe));
    team.length = 0; // only what comes after
    return { user, submit, jobId, ws, team };
  }
  /** Kills the LISTEN connection; `meanwhile` runs before the new one can be up. Resolves once a new one listens. */
  async function dropListener(meanwhile: () => Promise<unknown> = async () => undefined) {
    const [old] = await listeners();
    await t.sql('SELECT pg_terminate_backend($1)', [old]);
    await meanwhile();
    await eventually(async () => (await listeners()).some((pid) => pid !== old));
  }

  it('a change made while it was down reaches jobUpdated and teamJobs, once', async () => {
    const { user, jobId, ws, team } = await aUserWithAJob('gap');
    try {
      const followed: string[] = [];
      ws.subscribe(
        { query: JOB_UPDATED, variables: { id: jobId } },
        {
          next: (v: any) => followed.push(v.data?.jobUpdated?.status ?? JSON.stringify(v.errors)),
          error: () => undefined,
          complete: () => undefined,
        },
      );
      await eventually(() => followed.length === 1);
      // Canceled while nothing listens: its NOTIFY is lost.
      await dropListener(() => user.client.ok(CANCEL, { i: { id: jobId } }));
      await eventually(() => followed.includes('CANCELED'));
      expect(followed).toEqual(['RUNNING', 'CANCELED']);
      await eventually(() => team.length > 0);
      await new Promise((r) => setTimeout(r, 500));
      expect(team.map((e) => e.status)).toEqual(['CANCELED']);
    } finally {
      await ws.dispose();
    }
  });

  it('after a reconnect one connection listens and teamJobs delivers every change once', async () => {
    const { user, submit, ws, team } = await aUserWithAJob('before');
    try {
      await dropListener();
      await new Promise((r) => setTimeout(r, 2500)); // any second reconnect is done too
      const jobId = await submit('after');
      await eventually(() => team.some((e) => e.jobId === jobId && e.status === 'RUNNING'));
      await user.client.ok(CANCEL, { i: { id: jobId } });
      await eventually(() => team.some((e) => e.jobId === jobId && e.status === 'CANCELED'));
      await new Promise((r) => setTimeout(r, 1000)); // a duplicate would arrive by now
      const events = team.filter((e) => e.jobId === jobId).map((e) => JSON.stringify(e));
      expect(new Set(events).size).toBe(events.length);
      expect(team.filter((e) => e.jobId === jobId && e.status === 'CANCELED')).toHaveLength(1);
      expect(await listeners()).toHaveLength(1);
    } finally {
      await ws.dispose();
    }
  });
});
