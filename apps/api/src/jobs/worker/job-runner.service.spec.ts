import { RemovalMode, toOutputOptions } from '@cutout/inference-contract';
import { JobErrorCode, JobStatus, type JobStage } from '@cutout/job-vocabulary';
import { createLogger } from '../../common/logger';
import type { JobEntity } from '../entities/job.entity';
import { jobEventOf } from '../events/job-event';
import { JobEventsService } from '../events/job-events.service';
import { JobFailure } from '../job-failure';
import type { StoredResult } from '../jobs.repository';
import { FakeInferenceGateway } from './inference.gateway.fake';
import { FakeClock } from '../../common/clock.fake';
import { BlobNotFoundError } from '../../storage/blob-store';
import { S3BlobStoreError } from '../../storage/s3.blob-store';
import {
  JobRunnerService,
  RESULT_COMMIT_GRACE_MS,
  type RunnerBlobs,
  type RunnerConfig,
  type RunnerJobs,
  type RunnerOutbox,
} from './job-runner.service';

const logger = createLogger('silent');
const config: RunnerConfig = {
  JOB_MAX_ATTEMPTS: 3,
  JOB_INFERENCE_WAIT_SECONDS: 0,
  INFERENCE_DEADLINE_SECONDS: 30,
  JOB_PROGRESS_INTERVAL_MS: 10,
};

/** One job row in memory, with the repository's fences (status left, attempt owning it). */
class FakeJobs implements RunnerJobs {
  progress: { stage: JobStage; progress: number }[] = [];
  result?: StoredResult;

  constructor(public job: JobEntity) {}

  async claim(jobId: string, attempt: number): Promise<JobEntity | null> {
    if (!this.active() || this.job.attempt >= attempt) return null;
    Object.assign(this.job, { status: JobStatus.RUNNING, stage: 'QUEUED', progress: 0, attempt });
    return { ...this.job };
  }
  async setProgress(jobId: string, attempt: number, change: { stage: JobStage; progress: number }): Promise<void> {
    if (this.owns(attempt)) this.progress.push(change);
  }
  async requeue(jobId: string, attempt: number): Promise<void> {
    if (this.owns(attempt)) Object.assign(this.job, { status: JobStatus.QUEUED, stage: 'QUEUED', progress: 0 });
  }
  /** Set to make the next succeed() throw (its database call failed). */
  succeedFails?: Error;
  outbox?: FakeOutbox;

  async succeed(jobId: string, attempt: number, result: StoredResult): Promise<boolean> {
    if (this.succeedFails) throw this.succeedFails;
    if (!this.owns(attempt)) return false;
    // As the repository does in the same transaction: the result leaves the outbox (or was swept: not the job's).
    if (this.outbox && !this.outbox.queued.delete(result.blobKey)) return false;
    Object.assign(this.job, { status: JobStatus.SUCCEEDED, stage: 'STORED', progress: 1 });
    this.result = result;
    return true;
  }
  async fail(jobId: string, attempt: number, code: JobErrorCode, message: string): Promise<void> {
    if (this.active() && this.job.attempt === attempt)
      Object.assign(this.job, { status: JobStatus.FAILED, errorCode: code, errorMessage: message });
  }
  async failUnfinished(jobId: string, beforeAttempt: number, code: JobErrorCode, message: string): Promise<JobEntity | null> {
    if (!this.active() || this.job.attempt >= beforeAttempt) return null;
    Object.assign(this.job, { status: JobStatus.FAILED, errorCode: code, errorMessage: message });
    return { ...this.job };
  }
  async statusOf(): Promise<JobStatus> {
    return this.job.status;
  }
  private active() {
    return this.job.status === JobStatus.QUEUED || this.job.status === JobStatus.RUNNING;
  }
  private owns(attempt: number) {
    return this.job.status === JobStatus.RUNNING && this.job.attempt === attempt;
  }
}

class FakeBlobs implements RunnerBlobs {
  stored = new Map<string, Buffer>([['teams/t/uploads/u', Buffer.from('input')]]);
  async read(_teamId: string, key: string): Promise<Buffer> {
    const bytes = this.stored.get(key);
    if (!bytes) throw new BlobNotFoundError(key);
    return bytes;
  }
  async put(_teamId: string, key: string, body: Buffer | NodeJS.ReadableStream): Promise<number> {
    if (!Buffer.isBuffer(body)) throw new Error('the runner stores buffers');
    this.stored.set(key, body);
    return body.length;
  }
  async delete(key: string): Promise<void> {
    this.stored.delete(key);
  }
}

/** The blob-deletion outbox in memory: keys queued ahead with their time, deleted through the blobs. */
class FakeOutbox implements RunnerOutbox {
  queued = new Map<string, Date>();
  constructor(private readonly blobs: FakeBlobs) {}
  async queueAhead(key: string, notBefore: Date): Promise<void> {
    this.queued.set(key, notBefore);
  }
  async deleteNow(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      await this.blobs.delete(key);
      this.queued.delete(key);
    }
  }
}

function aQueuedJob(): JobEntity {
  return {
    id: '5b0c2a7e-0000-4000-8000-000000000001',
    teamId: 't',
    status: JobStatus.QUEUED,
    stage: 'QUEUED',
    progress: 0,
    attempt: 0,
    options: { size: 'full', type: 'cutout', format: 'png', crop: false, refine: false, model: 'small' },
    inputBlobKey: 'teams/t/uploads/u',
    errorCode: null,
    errorMessage: null,
  } as JobEntity;
}

describe('JobRunnerService (fake gateway, in-memory job row)', () => {
  let jobs: FakeJobs;
  let blobs: FakeBlobs;
  let gateway: FakeInferenceGateway;
  let events: JobEventsService;
  let runner: JobRunnerService;
  let outbox: FakeOutbox;
  const clock = new FakeClock();

  beforeEach(() => {
    jobs = new FakeJobs(aQueuedJob());
    blobs = new FakeBlobs();
    gateway = new FakeInferenceGateway();
    events = new JobEventsService(logger);
    outbox = new FakeOutbox(blobs);
    jobs.outbox = outbox;
    runner = new JobRunnerService(config, logger, jobs, blobs, events, gateway, outbox, clock);
  });

  const deliver = (attempt: number) => runner.handle({ jobId: jobs.job.id, attempt });

  it('succeeds: calls inference with the options and model, relays progress, stores the result and records it', async () => {
    expect(await deliver(1)).toEqual({ kind: 'succeeded' });
    expect(gateway.calls).toEqual([
      {
        image: Buffer.from('input'),
        modelId: 'small',
        options: { size: 'full', type: 'cutout', format: 'png', crop: false, refine: false },
      },
    ]);
    expect(jobs.job).toMatchObject({ status: 'SUCCEEDED', stage: 'STORED', progress: 1, attempt: 1 });
    expect(jobs.result).toMatchObject({
      blobKey: `teams/t/results/${jobs.job.id}-1.png`,
      contentType: 'image/png',
      width: 10,
      height: 10,
      bytes: 8,
      inferenceMs: 7,
    });
    expect(blobs.stored.get(`teams/t/results/${jobs.job.id}-1.png`)).toEqual(Buffer.from('fake-png'));
    expect(jobs.progress.map((p) => p.stage)).toEqual(['DECODED', 'INFERENCE', 'ENCODED']);
  });

  it('queues its result for deletion before writing it; the job’s commit takes it back, so nothing stays queued', async () => {
    expect(await deliver(1)).toEqual({ kind: 'succeeded' });
    expect(outbox.queued.size).toBe(0);
    expect(blobs.stored.has(`teams/t/results/${jobs.job.id}-1.png`)).toBe(true);
  });

  it('leaves no result unaccounted for: one whose commit fails, or a stale one whose delete fails, stays queued for the sweep after the grace', async () => {
    // Regression: the result was written before anything recorded it; these two paths left it in the store for ever.
    const key = `teams/t/results/${jobs.job.id}-1.png`;
    jobs.succeedFails = new Error('the database went away');
    const before = clock.now().getTime();
    expect(await deliver(1)).toMatchObject({ kind: 'failed', code: 'INTERNAL_ERROR' });
    expect(blobs.stored.has(key)).toBe(true);
    // Not before the grace: the attempt might still have been between its write and its commit.
    expect(outbox.queued.get(key)?.getTime()).toBeGreaterThanOrEqual(before + RESULT_COMMIT_GRACE_MS);
    expect(outbox.queued.get(key)?.getTime()).toBeLessThanOrEqual(clock.now().getTime() + RESULT_COMMIT_GRACE_MS);

    // A stale result (the job was canceled while the attempt ran) whose delete fails.
    jobs = new FakeJobs(aQueuedJob());
    blobs = new FakeBlobs();
    outbox = new FakeOutbox(blobs);
    jobs.outbox = outbox;
    runner = new JobRunnerService(config, logger, jobs, blobs, events, gateway, outbox, clock);
    const succeed = jobs.succeed.bind(jobs);
    jobs.succeed = async (...args) => {
      Object.assign(jobs.job, { status: JobStatus.CANCELED });
      return succeed(...args);
    };
    blobs.delete = async () => {
      throw new Error('the store is unreachable');
    };
    expect(await deliver(1)).toMatchObject({ kind: 'skipped' });
    expect(blobs.stored.has(key)).toBe(true);
    expect(outbox.queued.has(key)).toBe(true);
  });

  it('passes mode and decontaminate to inference as stored (on the wire: HIGH, no_decontaminate)', async () => {
    jobs.job.options = { ...jobs.job.options, mode: 'high', decontaminate: false };
    expect(await deliver(1)).toEqual({ kind: 'succeeded' });
    expect(gateway.calls[0].options).toMatchObject({ mode: 'high', decontaminate: false });
    // What the real gateway's client puts on the wire for what it was given.
    expect(toOutputOptions(gateway.calls[0].options)).toMatchObject({ mode: RemovalMode.HIGH, noDecontaminate: true });
  });

  it('a job row from before mode and decontaminate, delivered through the runner, reaches inference as the defaults (STANDARD, decontaminate on)', async () => {
    // A legacy row: its stored jsonb options have neither field (JobOptions describes rows checked since).
    jobs.job.options = { size: 'full', type: 'cutout', format: 'png', crop: false, refine: false, model: 'small' } as JobEntity['options'];
    expect(await deliver(1)).toEqual({ kind: 'succeeded' });
    expect(gateway.calls).toHaveLength(1);
    expect(gateway.calls[0].modelId).toBe('small');
    expect(gateway.calls[0].options).not.toHaveProperty('mode');
    expect(gateway.calls[0].options).not.toHaveProperty('decontaminate');
    // On the wire (the real client converts what the gateway received): the defaults.
    expect(toOutputOptions(gateway.calls[0].options)).toMatchObject({ mode: RemovalMode.STANDARD, noDecontaminate: false });
    expect(jobs.job).toMatchObject({ status: 'SUCCEEDED', attempt: 1 });
  });

  it.each([
    [JobErrorCode.UNSUPPORTED_IMAGE, 'The image could not be decoded.'],
    [JobErrorCode.IMAGE_TOO_LARGE, 'The image has too many pixels.'],
    [JobErrorCode.INVALID_OPTIONS, 'options.size: too large'],
    [JobErrorCode.INTERNAL_ERROR, 'The inference service failed.'],
  ])('fails at once with %s (not transient): no retry, nothing stored', async (code, message) => {
    gateway.failure = new JobFailure(code, message);
    expect(await deliver(1)).toEqual({ kind: 'failed', code, message });
    expect(jobs.job).toMatchObject({ status: 'FAILED', errorCode: code, errorMessage: message, attempt: 1 });
    expect([...blobs.stored.keys()]).toEqual(['teams/t/uploads/u']);
  });

  it.each([JobErrorCode.INFERENCE_UNAVAILABLE, JobErrorCode.INFERENCE_TIMEOUT, JobErrorCode.INFERENCE_BUSY])(
    'retries %s while attempts remain (the job goes back to QUEUED), then fails on the last attempt',
    async (code) => {
      gateway.failure = new JobFailure(code, 'transient trouble', true);
      expect(await deliver(1)).toEqual({ kind: 'retry', reason: `${code}: transient trouble` });
      expect(jobs.job).toMatchObject({ status: 'QUEUED', stage: 'QUEUED', attempt: 1, errorCode: null });
      expect(await deliver(2)).toMatchObject({ kind: 'retry' });
      expect(await deliver(3)).toEqual({ kind: 'failed', code, message: 'transient trouble' });
      expect(jobs.job).toMatchObject({ status: 'FAILED', errorCode: code, attempt: 3 });
    },
  );

  it('succeeds on a later attempt after a transient failure', async () => {
    gateway.failure = new JobFailure(JobErrorCode.INFERENCE_BUSY, 'busy', true);
    expect((await deliver(1)).kind).toBe('retry');
    gateway.failure = undefined;
    expect(await deliver(2)).toEqual({ kind: 'succeeded' });
    expect(jobs.job).toMatchObject({ status: 'SUCCEEDED', attempt: 2 });
  });

  it('fails with INPUT_UNAVAILABLE when the input blob cannot be read, without calling inference', async () => {
    blobs.stored.clear();
    expect(await deliver(1)).toEqual({ kind: 'failed', code: 'INPUT_UNAVAILABLE', message: 'The uploaded image is no longer available.' });
    expect(gateway.calls).toEqual([]);
  });

  it('fails with INTERNAL_ERROR (its own words) on an unexpected error', async () => {
    outbox.queueAhead = () => Promise.reject(new Error('relation "pending_blob_deletions" is broken at /var/secret'));
    expect(await deliver(1)).toEqual({ kind: 'failed', code: 'INTERNAL_ERROR', message: 'The job failed unexpectedly.' });
    expect(jobs.job.errorMessage).toBe('The job failed unexpectedly.');
  });

  it('tries again when the image store fails to give the input (not INPUT_UNAVAILABLE: the upload is still there)', async () => {
    // Regression (review): every read error, a 503 or throttling included, failed the job for good as "no longer available".
    const read = blobs.read.bind(blobs);
    blobs.read = () => Promise.reject(new S3BlobStoreError('GetObject', 'teams/t/uploads/u', 'SlowDown', 503, ''));
    expect(await deliver(1)).toEqual({ kind: 'retry', reason: 'INTERNAL_ERROR: The image store could not be reached; try again later.' });
    expect(jobs.job).toMatchObject({ status: 'QUEUED', errorCode: null });
    expect(gateway.calls).toEqual([]);
    blobs.read = read;
    expect(await deliver(2)).toEqual({ kind: 'succeeded' });
  });

  it('tries again when the result cannot be stored, and fails INTERNAL_ERROR (the store’s words, no details) after the last attempt', async () => {
    blobs.put = () => Promise.reject(new Error('disk full at /var/secret'));
    expect((await deliver(1)).kind).toBe('retry');
    expect((await deliver(2)).kind).toBe('retry');
    expect(await deliver(3)).toEqual({
      kind: 'failed',
      code: 'INTERNAL_ERROR',
      message: 'The image store could not be reached; try again later.',
    });
  });

  it('fails as WORKER_LOST on the delivery after the last attempt, keeping that attempt count', async () => {
    Object.assign(jobs.job, { status: JobStatus.RUNNING, attempt: 3 });
    expect(await deliver(4)).toMatchObject({ kind: 'failed', code: 'WORKER_LOST' });
    expect(jobs.job).toMatchObject({ status: 'FAILED', errorCode: 'WORKER_LOST', attempt: 3 });
    expect(gateway.calls).toEqual([]);
  });

  it('skips a job that already finished', async () => {
    jobs.job.status = JobStatus.SUCCEEDED;
    expect((await deliver(1)).kind).toBe('skipped');
    expect(gateway.calls).toEqual([]);
  });

  it('stops the inference call when the job is canceled meanwhile: outcome canceled, the row stays CANCELED, nothing stored', async () => {
    const started = new Promise<void>((resolve) => (gateway.holdUntilAborted = resolve));
    const outcome = deliver(1);
    await started;
    // cancelJob in any process: the row changes, then its event arrives here.
    Object.assign(jobs.job, { status: JobStatus.CANCELED, errorCode: JobErrorCode.CANCELED, errorMessage: 'Canceled by the team.' });
    events.deliver(jobEventOf(jobs.job));
    expect(await outcome).toEqual({ kind: 'canceled' });
    expect(jobs.job).toMatchObject({ status: 'CANCELED', errorCode: 'CANCELED' });
    expect([...blobs.stored.keys()]).toEqual(['teams/t/uploads/u']);
  });

  it('an aborted delivery (worker stopping past its grace, or claim lost) writes nothing terminal: the job waits QUEUED for its next delivery', async () => {
    // Regression: the abort failed the call CANCELED and the runner ended the job FAILED/CANCELED (refunded),
    // though pg-boss had already put the message back; the next delivery then found the job finished.
    const started = new Promise<void>((resolve) => (gateway.holdUntilAborted = resolve));
    const delivery = new AbortController();
    const outcome = runner.handle({ jobId: jobs.job.id, attempt: 1, signal: delivery.signal });
    await started;
    delivery.abort();
    expect(await outcome).toMatchObject({ kind: 'retry' });
    expect(jobs.job).toMatchObject({ status: 'QUEUED', attempt: 1, errorCode: null });
    // The next delivery runs the job.
    gateway.holdUntilAborted = undefined;
    expect(await deliver(2)).toEqual({ kind: 'succeeded' });
    expect(jobs.job).toMatchObject({ status: 'SUCCEEDED', attempt: 2 });
  });

  it('an aborted last attempt is not failed by its runner either: the delivery after it fails the job WORKER_LOST', async () => {
    const started = new Promise<void>((resolve) => (gateway.holdUntilAborted = resolve));
    const delivery = new AbortController();
    const outcome = runner.handle({ jobId: jobs.job.id, attempt: 3, signal: delivery.signal });
    await started;
    delivery.abort();
    expect(await outcome).toMatchObject({ kind: 'retry' });
    expect(jobs.job.status).toBe('QUEUED');
    expect(await deliver(4)).toMatchObject({ kind: 'failed', code: 'WORKER_LOST' });
    expect(jobs.job).toMatchObject({ status: 'FAILED', errorCode: 'WORKER_LOST', attempt: 3 });
  });

  it('an aborted delivery of a job the team canceled ends canceled, as the cancel left it', async () => {
    const started = new Promise<void>((resolve) => (gateway.holdUntilAborted = resolve));
    const delivery = new AbortController();
    const outcome = runner.handle({ jobId: jobs.job.id, attempt: 1, signal: delivery.signal });
    await started;
    Object.assign(jobs.job, { status: JobStatus.CANCELED, errorCode: JobErrorCode.CANCELED, errorMessage: 'Canceled by the team.' });
    delivery.abort();
    expect(await outcome).toEqual({ kind: 'canceled' });
    expect(jobs.job).toMatchObject({ status: 'CANCELED', errorMessage: 'Canceled by the team.' });
  });
});
