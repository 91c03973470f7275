import { aSignedInUser } from '../../../testing/builders';
import { eventually, startHoldingInference, type HoldingInference } from '../../../testing/holding-inference.server';
import { REMOVE, uploadImage } from '../../../testing/jobs-client';
import { aNoisePng } from '../../../testing/test-images';
import { startTestApi, type TestApi } from '../../../testing/test-api';
import { startTestWorker } from '../../../testing/test-worker';

/**
 * A worker whose delivery pg-boss takes back (its heartbeat lapsed, or it stopped past its grace)
 * leaves the job to the next delivery: it never ends it FAILED/CANCELED itself (that refunded a job
 * nobody canceled, and the retry then found it finished and skipped it).
 */
describe('a delivery pg-boss takes back', () => {
  let inference: HoldingInference;
  let t: TestApi;
  const workerEnv = {
    JOB_INFERENCE_WAIT_SECONDS: '0',
    INFERENCE_DEADLINE_SECONDS: '600',
    QUEUE_MONITOR_SECONDS: '1',
    JOB_RETRY_DELAY_SECONDS: '1',
    // The held inference call never ends by itself: every close() waits out the grace.
    WORKER_STOP_GRACE_SECONDS: '2',
  };

  beforeEach(async () => {
    inference = await startHoldingInference();
    t = await startTestApi({ ROLE: 'api', INFERENCE_URLS: inference.address, QUEUE_MONITOR_SECONDS: '1' });
  });
  afterEach(async () => {
    await t.close();
    inference.close();
  });

  async function aRunningJob(): Promise<string> {
    const user = await aSignedInUser(t);
    const upload = await uploadImage(user.client, user.personalTeamId, await aNoisePng(20_000, 64));
    const { removeBackground: job } = await user.client.ok(REMOVE, {
      i: { teamId: user.personalTeamId, uploadId: upload.id, idempotencyKey: 'k1' },
    });
    await eventually(() => inference.calls.length === 1);
    return job.id as string;
  }
  const rowOf = async (jobId: string) =>
    (await t.sql('SELECT status, error_code, attempt, credits_refunded_quarters FROM jobs WHERE id = $1', [jobId]))[0];

  it('claim lost (the heartbeat lapsed): the job is not failed, and the next delivery runs it as attempt 2', async () => {
    // The retry waits 8 s: the worker's next heartbeat (every 5 s) finds its claim gone and aborts the delivery before it.
    const worker = await startTestWorker(t, { INFERENCE_URLS: inference.address, ...workerEnv, JOB_RETRY_DELAY_SECONDS: '8' });
    try {
      const jobId = await aRunningJob();
      // The worker looks silent past its heartbeat (as a stalled process would): pg-boss fails the message for retry and aborts the delivery.
      // Set again until that happens: the worker's own heartbeat (every 5 s) may write over it before the monitor looks.
      await eventually(async () => {
        await t.sql(
          `UPDATE pgboss.job SET heartbeat_on = now() - interval '1 hour' WHERE name = 'remove-background' AND data->>'jobId' = $1 AND state = 'active'`,
          [jobId],
        );
        return inference.cancelled() === 1;
      });
      await eventually(async () => (await rowOf(jobId)).status !== 'RUNNING');
      expect(await rowOf(jobId)).toMatchObject({ status: 'QUEUED', error_code: null, attempt: 1, credits_refunded_quarters: 0 });
      await eventually(() => inference.calls.length === 2);
      expect(await rowOf(jobId)).toMatchObject({ status: 'RUNNING', error_code: null, attempt: 2, credits_refunded_quarters: 0 });
    } finally {
      await worker.close();
    }
  }, 90_000);

  it('graceful stop past its grace: the job waits QUEUED (not failed, not refunded) and another worker runs it as attempt 2', async () => {
    const first = await startTestWorker(t, { INFERENCE_URLS: inference.address, ...workerEnv });
    const jobId = await aRunningJob();
    await first.close(); // SIGTERM: the grace (2 s here), then pg-boss puts the message back and aborts the delivery
    await eventually(() => inference.cancelled() === 1);
    expect(await rowOf(jobId)).toMatchObject({ status: 'QUEUED', error_code: null, attempt: 1, credits_refunded_quarters: 0 });
    const second = await startTestWorker(t, { INFERENCE_URLS: inference.address, ...workerEnv });
    try {
      await eventually(() => inference.calls.length === 2);
      expect(await rowOf(jobId)).toMatchObject({ status: 'RUNNING', error_code: null, attempt: 2 });
    } finally {
      await second.close();
    }
  }, 90_000);
});
