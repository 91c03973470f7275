import { Inject, Injectable } from '@nestjs/common';
import { DecryptionError } from '@cutout/crypto';
import { JobErrorCode, JobStatus } from '@cutout/job-vocabulary';
import type { Logger } from '../../common/logger';
import type { Clock } from '../../common/clock';
import { CLOCK, LOGGER } from '../../common/tokens';
import { API_CONFIG, type ApiConfig } from '../../config/api.config';
import { BlobDeletions } from '../../storage/blob-deletions';
import { BlobNotFoundError } from '../../storage/blob-store';
import { EncryptedBlobsService } from '../../storage/encrypted-blobs.service';
import type { JobEntity } from '../entities/job.entity';
import { JobEventsService } from '../events/job-events.service';
import { JobFailure } from '../job-failure';
import { JobsRepository } from '../jobs.repository';
import { InferenceGateway, type RemoveBackgroundResult } from './inference.gateway';
import { JobOutcome, type JobDelivery } from './job-outcome';
import { ProgressRelay, systemRelayClock } from './progress-relay';

const EXTENSION: Record<string, string> = { 'image/png': 'png', 'image/webp': 'webp', 'image/jpeg': 'jpg' };

export type RunnerConfig = Pick<
  ApiConfig,
  'JOB_MAX_ATTEMPTS' | 'JOB_INFERENCE_WAIT_SECONDS' | 'INFERENCE_DEADLINE_SECONDS' | 'JOB_PROGRESS_INTERVAL_MS'
>;
export type RunnerJobs = Pick<JobsRepository, 'claim' | 'setProgress' | 'requeue' | 'succeed' | 'fail' | 'failUnfinished' | 'statusOf'>;
export type RunnerBlobs = Pick<EncryptedBlobsService, 'read' | 'put' | 'delete'>;
/** The blob-deletion outbox, for results written before a row names them (BlobDeletions). */
export type RunnerOutbox = Pick<BlobDeletions, 'queueAhead' | 'deleteNow'>;

/**
 * How long a result queued before it is written stays safe from the sweep (by the CLOCK sweeps read): the attempt writes it and
 * commits the job within milliseconds, so one that has not committed by then never will (its
 * commit failed, or its worker died or stalled and the job moved on); a sweep after it deletes the blob.
 */
export const RESULT_COMMIT_GRACE_MS = 60 * 60 * 1000;

/**
 * The worker: claims a job (fenced by its attempt number), sends the decrypted input to
 * inference, relays progress, stores the encrypted result and finishes the job exactly once,
 * answering with an outcome. Expected failures finish the job as FAILED with a code; transient
 * ones go back to the queue (outcome `retry`) while attempts remain.
 */
/** The job's input is gone for good: its blob (or the team's data key) no longer exists, or it fails authentication. */
const inputGone = () => new JobFailure(JobErrorCode.INPUT_UNAVAILABLE, 'The uploaded image is no longer available.');

/**
 * Any other failure to read the input or store the result (the store or the database answering an error,
 * throttling, a network blip): transient, so the job goes back to the queue and is tried again (JOB_MAX_ATTEMPTS),
 * then fails INTERNAL_ERROR. Never INPUT_UNAVAILABLE, which would tell the person their upload is gone.
 */
const storageTrouble = (error: unknown): JobFailure =>
  Object.assign(new JobFailure(JobErrorCode.INTERNAL_ERROR, 'The image store could not be reached; try again later.', true), {
    cause: error,
  });

@Injectable()
export class JobRunnerService {
  constructor(
    @Inject(API_CONFIG) private readonly config: RunnerConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(JobsRepository) private readonly jobs: RunnerJobs,
    @Inject(EncryptedBlobsService) private readonly blobs: RunnerBlobs,
    private readonly events: JobEventsService,
    private readonly inference: InferenceGateway,
    @Inject(BlobDeletions) private readonly outbox: RunnerOutbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async handle({ jobId, attempt, signal }: JobDelivery): Promise<JobOutcome> {
    // The delivery after the last attempt: that attempt's worker was lost (killed, or silent past its heartbeat).
    if (attempt > this.config.JOB_MAX_ATTEMPTS) return this.finishLost(jobId, attempt);
    if (!(await this.awaitInference(signal))) return JobOutcome.retry('the worker stopped while waiting for an inference server');
    const job = await this.jobs.claim(jobId, attempt);
    if (!job) return JobOutcome.skipped('the job has finished, or a later attempt has it');
    const log = this.logger.child({ jobId, attempt });
    const abort = new AbortController();
    signal?.addEventListener('abort', () => abort.abort(), { once: true });
    // cancelJob may happen in any process: its event stops the inference call here.
    const watcher = this.events.subscribeJob(jobId)[Symbol.asyncIterator]();
    void (async () => {
      for (let next = await watcher.next(); !next.done; next = await watcher.next()) {
        if (next.value.status === JobStatus.CANCELED) return abort.abort();
      }
    })().catch(() => undefined);
    try {
      return await this.run(job, attempt, abort.signal, log);
    } catch (error) {
      if (abort.signal.aborted && (await this.jobs.statusOf(jobId)) === JobStatus.CANCELED) return JobOutcome.canceled();
      // pg-boss aborted this delivery (the worker is stopping past its grace, or its heartbeat found the
      // claim gone) and pg-boss has put the message back itself: the failure is the abort's, not the
      // job's. Nothing terminal is written; the job waits QUEUED for its next delivery (which fails it
      // WORKER_LOST after the last attempt). Fenced by the attempt: a later attempt that claimed it is untouched.
      if (signal?.aborted) {
        log.warn({ err: error }, 'the delivery was aborted (worker stopping, or claim lost); the job is left for its next delivery');
        await this.jobs.requeue(jobId, attempt).catch((err: unknown) => log.warn({ err }, 'could not put the job back to QUEUED'));
        return JobOutcome.retry('the delivery was aborted (worker stopping, or claim lost)');
      }
      if (!(error instanceof JobFailure)) log.error({ err: error }, 'job failed unexpectedly');
      const failure = error instanceof JobFailure ? error : new JobFailure(JobErrorCode.INTERNAL_ERROR, 'The job failed unexpectedly.');
      if (failure.transient && attempt < this.config.JOB_MAX_ATTEMPTS) {
        log.warn({ code: failure.code, err: failure.cause }, 'transient failure; the job goes back to the queue');
        await this.jobs.requeue(jobId, attempt);
        return JobOutcome.retry(`${failure.code}: ${failure.message}`);
      }
      await this.jobs.fail(jobId, attempt, failure.code, failure.message);
      return JobOutcome.failed(failure.code, failure.message);
    } finally {
      await watcher.return?.();
    }
  }

  /**
   * While no inference server is healthy (one restarting, a model loading), the job stays
   * QUEUED and unclaimed for up to JOB_INFERENCE_WAIT_SECONDS instead of spending its attempts;
   * past that it runs and fails like any unavailable call. False when the worker stopped meanwhile.
   */
  private async awaitInference(signal?: AbortSignal): Promise<boolean> {
    const waitMs = this.config.JOB_INFERENCE_WAIT_SECONDS * 1000;
    if (waitMs === 0 || (await this.inference.waitUntilHealthy(waitMs, signal))) return true;
    if (signal?.aborted) return false;
    this.logger.warn(
      { waitedSeconds: this.config.JOB_INFERENCE_WAIT_SECONDS },
      'no inference server became healthy; running the job anyway',
    );
    return true;
  }

  private async run(job: JobEntity, attempt: number, signal: AbortSignal, log: Logger): Promise<JobOutcome> {
    const inputKey = job.inputBlobKey;
    if (!inputKey) throw inputGone(); // swept with its upload
    const image = await this.blobs.read(job.teamId, inputKey).catch((error: unknown) => {
      throw error instanceof BlobNotFoundError || error instanceof DecryptionError ? inputGone() : storageTrouble(error);
    });
    const result = await this.removeBackground(job, attempt, image, signal);
    const resultKey = `teams/${job.teamId}/results/${job.id}-${attempt}.${EXTENSION[result.mime] ?? 'bin'}`;
    // Queued for deletion before it exists: unless succeed() names it, a sweep deletes it (no orphan blobs).
    await this.outbox.queueAhead(resultKey, new Date(this.clock.now().getTime() + RESULT_COMMIT_GRACE_MS));
    await this.blobs.put(job.teamId, resultKey, result.image).catch((error: unknown) => {
      throw storageTrouble(error);
    });
    const stored = await this.jobs.succeed(job.id, attempt, {
      blobKey: resultKey,
      contentType: result.mime,
      width: result.width,
      height: result.height,
      bytes: result.image.length,
      foregroundFraction: result.foregroundFraction,
      inferenceMs: Math.round(result.timings.totalMs),
    });
    if (stored) return JobOutcome.succeeded();
    // Canceled meanwhile, or another worker took over (this one was paused past its heartbeat):
    // this result is not the job's. The row and its events stay as the winner left them.
    // Deleted now; should the store fail, it stays queued and a sweep deletes it.
    await this.outbox.deleteNow([resultKey]).catch((err: unknown) => log.warn({ err }, 'stale result left for the sweep'));
    log.warn('stale result discarded: the job was canceled or taken over meanwhile');
    return JobOutcome.skipped('the job was canceled or taken over while this attempt ran');
  }

  /** The inference call, its progress relayed to the job (every progress write done before it returns). */
  private async removeBackground(job: JobEntity, attempt: number, image: Buffer, signal: AbortSignal): Promise<RemoveBackgroundResult> {
    const progress = this.progressRelay(job.id, attempt);
    const { model, ...options } = job.options;
    try {
      return await this.inference.removeBackground(
        { image, modelId: model, options },
        { signal, deadlineMs: this.config.INFERENCE_DEADLINE_SECONDS * 1000, onProgress: progress.offer },
      );
    } finally {
      await progress.close();
    }
  }

  /** Overall progress relayed as is, coalesced to a few updates per second (each one a row write and a NOTIFY). */
  private progressRelay(jobId: string, attempt: number): { offer: (stage: string, fraction: number) => void; close: () => Promise<void> } {
    let writes = Promise.resolve();
    const relay = new ProgressRelay(
      (change) => {
        writes = writes.then(() => this.jobs.setProgress(jobId, attempt, change)).catch(() => undefined);
      },
      systemRelayClock,
      this.config.JOB_PROGRESS_INTERVAL_MS,
    );
    return {
      offer: (stage, fraction) => relay.offer(stage, fraction),
      close: () => {
        relay.close();
        return writes;
      },
    };
  }

  /** Fails the job as WORKER_LOST, keeping the attempt count of its last real attempt. */
  private async finishLost(jobId: string, attempt: number): Promise<JobOutcome> {
    const message = 'The worker running the job was lost (stopped, or silent past its heartbeat) and no attempts remain.';
    const lost = await this.jobs.failUnfinished(jobId, attempt, JobErrorCode.WORKER_LOST, message);
    if (!lost) return JobOutcome.skipped('the job had already finished');
    this.logger.warn({ jobId, attempts: lost.attempt }, 'job failed: its worker was lost and no attempts remain');
    return JobOutcome.failed(JobErrorCode.WORKER_LOST, message);
  }
}
