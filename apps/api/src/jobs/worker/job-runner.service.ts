import { Inject, Injectable } from '@nestjs/common';
import type { Job } from 'pg-boss';
import type { DataSource } from 'typeorm';
import type { Logger } from '../../common/logger';
import { DATA_SOURCE, LOGGER } from '../../common/tokens';
import { API_CONFIG, type ApiConfig } from '../../config/api.config';
import { queryRows } from '../../database/query-rows';
import { EncryptedBlobsService } from '../../storage/encrypted-blobs.service';
import { JobEntity, type JobStage } from '../entities/job.entity';
import { JobErrorCode } from '../job-error-codes';
import { JobEventsService } from '../events/job-events.service';
import type { RemoveBackgroundMessage } from './job-queue.service';
import { toJobEvent } from '../job.mapper';
import { InferenceFailure, InferenceGateway } from './inference.gateway';
import { ProgressRelay, systemRelayClock } from './progress-relay';

const EXTENSION: Record<string, string> = { 'image/png': 'png', 'image/webp': 'webp', 'image/jpeg': 'jpg' };

/**
 * The worker: claims a job (fenced by its attempt number), streams the decrypted input
 * to inference, relays progress, stores the encrypted result and finishes the job exactly
 * once. Expected failures finish the job as FAILED with a code; transient ones go back to
 * the queue while attempts remain.
 */
@Injectable()
export class JobRunnerService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly blobs: EncryptedBlobsService,
    private readonly events: JobEventsService,
    private readonly inference: InferenceGateway,
  ) {}

  async handle(message: Job<RemoveBackgroundMessage>): Promise<void> {
    const attempt = message.retryCount + 1;
    if (attempt <= this.config.JOB_MAX_ATTEMPTS) await this.awaitInference(message.signal);
    // The delivery after the last attempt: that attempt's worker was lost (killed, or silent past its heartbeat).
    if (attempt > this.config.JOB_MAX_ATTEMPTS) return this.finishLost(message.data.jobId, attempt);
    const job = await this.claim(message.data.jobId, attempt);
    if (!job) return;
    const log = this.logger.child({ jobId: job.id, attempt });
    const abort = new AbortController();
    message.signal?.addEventListener('abort', () => abort.abort());
    // cancelJob may happen in any process: its event stops the inference call here.
    const watcher = this.events.subscribeJob(job.id)[Symbol.asyncIterator]();
    void (async () => {
      for (let next = await watcher.next(); !next.done; next = await watcher.next()) {
        if (next.value.status === 'CANCELED') return abort.abort();
      }
    })().catch(() => undefined);
    try {
      await this.run(job, attempt, abort.signal);
    } catch (error) {
      if (abort.signal.aborted && (await this.isCanceled(job.id))) return;
      const failure =
        error instanceof InferenceFailure ? error : new InferenceFailure(JobErrorCode.INTERNAL_ERROR, 'The job failed unexpectedly.', false);
      if (!(error instanceof InferenceFailure)) log.error({ err: error }, 'job failed unexpectedly');
      if (failure.transient && attempt < this.config.JOB_MAX_ATTEMPTS) {
        log.warn({ code: failure.code }, 'transient failure; the job goes back to the queue');
        await this.requeue(job, attempt);
        throw error;
      }
      await this.finishFailed(job, attempt, failure.code, failure.message);
    } finally {
      await watcher.return?.();
    }
  }

  /**
   * While no inference server is healthy (one restarting, a model loading), the job stays
   * QUEUED and unclaimed for up to JOB_INFERENCE_WAIT_SECONDS instead of spending its attempts;
   * past that it runs and fails like any unavailable call.
   */
  private async awaitInference(signal?: AbortSignal): Promise<void> {
    const waitMs = this.config.JOB_INFERENCE_WAIT_SECONDS * 1000;
    if (waitMs === 0 || (await this.inference.waitUntilHealthy(waitMs, signal))) return;
    if (signal?.aborted) throw new Error('the worker stopped while waiting for an inference server');
    this.logger.warn({ waitedSeconds: this.config.JOB_INFERENCE_WAIT_SECONDS }, 'no inference server became healthy; running the job anyway');
  }

  private async run(job: JobEntity, attempt: number, signal: AbortSignal): Promise<void> {
    let image: Buffer;
    try {
      image = await this.blobs.read(job.teamId, job.inputBlobKey);
    } catch {
      throw new InferenceFailure(JobErrorCode.INPUT_UNAVAILABLE, 'The uploaded image is no longer available.', false);
    }
    // Overall progress relayed as is, coalesced to a few updates per second (each one a row write and a NOTIFY).
    let progressWrite = Promise.resolve();
    const relay = new ProgressRelay(
      (change) => {
        progressWrite = progressWrite.then(() => this.update(job.id, attempt, change)).catch(() => undefined);
      },
      systemRelayClock,
      this.config.JOB_PROGRESS_INTERVAL_MS,
    );
    const { model, ...options } = job.options;
    const result = await this.inference
      .removeBackground(
        { image, modelId: model, options },
        { signal, deadlineMs: this.config.INFERENCE_DEADLINE_SECONDS * 1000, onProgress: (stageName, fraction) => relay.offer(stageName, fraction) },
      )
      .finally(() => relay.close());
    await progressWrite;
    const resultKey = `teams/${job.teamId}/results/${job.id}-${attempt}.${EXTENSION[result.mime] ?? 'bin'}`;
    await this.blobs.put(job.teamId, resultKey, result.image);
    const finished = await this.transition(
      job.id,
      `UPDATE jobs SET status = 'SUCCEEDED', stage = 'STORED', progress = 1, result_blob_key = $3, result_content_type = $4,
                result_width = $5, result_height = $6, result_bytes = $7, foreground_fraction = $8, inference_ms = $9,
                finished_at = now(), updated_at = now()
         WHERE id = $1 AND attempt = $2 AND status = 'RUNNING' RETURNING id`,
      [job.id, attempt, resultKey, result.mime, result.width, result.height, result.image.length, result.foregroundFraction, Math.round(result.timings.totalMs)],
    );
    // Canceled meanwhile, or another worker took over (this one was paused past its heartbeat):
    // this result is not the job's. The row and its events stay as the winner left them.
    if (!finished) {
      await this.blobs.delete(resultKey);
      this.logger.warn({ jobId: job.id, attempt }, 'stale result discarded: the job was canceled or taken over meanwhile');
    }
  }

  /**
   * Applies one guarded state change (an UPDATE … RETURNING id whose WHERE holds the fence)
   * and, when it matched, publishes the job's new state in the same transaction.
   */
  private transition(jobId: string, sql: string, params: unknown[]): Promise<JobEntity | null> {
    return this.dataSource.transaction(async (manager) => {
      if (!(await queryRows<{ id: string }>(manager, sql, params)).length) return null;
      const job = await manager.getRepository(JobEntity).findOneByOrFail({ id: jobId });
      await this.events.publish(manager, toJobEvent(job));
      return job;
    });
  }

  private claim(jobId: string, attempt: number): Promise<JobEntity | null> {
    return this.transition(
      jobId,
      `UPDATE jobs SET status = 'RUNNING', stage = 'QUEUED', progress = 0, attempt = $2, started_at = COALESCE(started_at, now()), updated_at = now()
       WHERE id = $1 AND status IN ('QUEUED', 'RUNNING') AND attempt < $2 RETURNING id`,
      [jobId, attempt],
    );
  }

  private async update(jobId: string, attempt: number, change: { stage: JobStage; progress: number }): Promise<void> {
    await this.transition(jobId, `UPDATE jobs SET stage = $3, progress = $4, updated_at = now() WHERE id = $1 AND attempt = $2 AND status = 'RUNNING' RETURNING id`, [
      jobId,
      attempt,
      change.stage,
      change.progress,
    ]);
  }

  private async requeue(job: JobEntity, attempt: number): Promise<void> {
    await this.transition(
      job.id,
      `UPDATE jobs SET status = 'QUEUED', stage = 'QUEUED', progress = 0, updated_at = now() WHERE id = $1 AND attempt = $2 AND status = 'RUNNING' RETURNING id`,
      [job.id, attempt],
    );
  }

  private async finishFailed(job: JobEntity, attempt: number, code: string, message: string): Promise<void> {
    await this.transition(
      job.id,
      `UPDATE jobs SET status = 'FAILED', error_code = $3, error_message = $4, finished_at = now(), updated_at = now()
       WHERE id = $1 AND attempt = $2 AND status IN ('QUEUED', 'RUNNING') RETURNING id`,
      [job.id, attempt, code, message],
    );
  }

  /** Fails the job as WORKER_LOST, keeping the attempt count of its last real attempt. */
  private async finishLost(jobId: string, attempt: number): Promise<void> {
    const lost = await this.transition(
      jobId,
      `UPDATE jobs SET status = 'FAILED', error_code = $3, error_message = $4, finished_at = now(), updated_at = now()
       WHERE id = $1 AND status IN ('QUEUED', 'RUNNING') AND attempt < $2 RETURNING id`,
      [jobId, attempt, JobErrorCode.WORKER_LOST, 'The worker running the job was lost (stopped, or silent past its heartbeat) and no attempts remain.'],
    );
    if (lost) this.logger.warn({ jobId, attempts: lost.attempt }, 'job failed: its worker was lost and no attempts remain');
  }

  private async isCanceled(jobId: string): Promise<boolean> {
    const job = await this.dataSource.getRepository(JobEntity).findOne({ where: { id: jobId }, select: { id: true, status: true } });
    return job?.status === 'CANCELED';
  }
}
