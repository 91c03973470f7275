import { Inject, Injectable } from '@nestjs/common';
import { JobErrorCode, JobStatus, type JobStage } from '@cutout/job-vocabulary';
import type { DataSource, EntityManager } from 'typeorm';
import type { Connection, PageArgs } from '../common/pagination/connection.types';
import { keysetPage } from '../common/pagination/keyset-page';
import { DATA_SOURCE } from '../common/tokens';
import { isUuid } from '../common/uuid';
import { queryRows } from '../database/query-rows';
import { JobEntity, type JobOptions } from './entities/job.entity';
import { jobEventOf, publishJobEvent } from './events/job-event';

/** A job about to be created: its input (a stored upload) and checked options. */
export interface NewJob {
  teamId: string;
  uploadId: string;
  idempotencyKey: string;
  options: JobOptions;
  filename: string;
  blobKey: string;
  contentType: string;
  width: number;
  height: number;
  bytes: number;
}

/** What a stored result adds to a SUCCEEDED job. */
export interface StoredResult {
  blobKey: string;
  contentType: string;
  width: number;
  height: number;
  bytes: number;
  foregroundFraction: number;
  inferenceMs: number;
}

const ACTIVE = `('${JobStatus.QUEUED}', '${JobStatus.RUNNING}')`;

/**
 * Every SQL statement on `jobs`. Each change is one guarded UPDATE (its WHERE holds the fence:
 * the status it leaves, the attempt that owns it) whose new state is published with pg_notify
 * in the same transaction, so an event leaves exactly when its change commits.
 */
@Injectable()
export class JobsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  findById(jobId: string): Promise<JobEntity | null> {
    return isUuid(jobId) ? this.dataSource.getRepository(JobEntity).findOneBy({ id: jobId }) : Promise.resolve(null);
  }

  findInTeam(teamId: string, jobId: string): Promise<JobEntity | null> {
    return isUuid(jobId) ? this.dataSource.getRepository(JobEntity).findOneBy({ id: jobId, teamId }) : Promise.resolve(null);
  }

  async findTeamId(jobId: string): Promise<string | null> {
    if (!isUuid(jobId)) return null;
    const job = await this.dataSource.getRepository(JobEntity).findOne({ where: { id: jobId }, select: { id: true, teamId: true } });
    return job?.teamId ?? null;
  }

  findByIdempotencyKey(teamId: string, idempotencyKey: string): Promise<JobEntity | null> {
    return this.dataSource.getRepository(JobEntity).findOneBy({ teamId, idempotencyKey });
  }

  page<T>(teamId: string, args: PageArgs & { status?: JobStatus }, map: (job: JobEntity) => T): Promise<Connection<T>> {
    const query = this.dataSource.getRepository(JobEntity).createQueryBuilder('j').where('j.team_id = :teamId', { teamId });
    if (args.status) query.andWhere('j.status = :status', { status: args.status });
    return keysetPage(query, args, { createdAt: 'j.created_at', id: 'j.id' }, (j) => j, map);
  }

  /**
   * Creates a QUEUED job and runs `alongside` (the queue message) in the same transaction.
   * Null when a job with the same idempotency key already exists (nothing is written).
   */
  create(job: NewJob, alongside: (manager: EntityManager, jobId: string) => Promise<void>): Promise<JobEntity | null> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await queryRows<{ id: string }>(
        manager,
        `INSERT INTO jobs (team_id, upload_id, idempotency_key, status, stage, progress, options, input_filename, input_blob_key,
                           input_content_type, input_width, input_height, input_bytes, queued_at)
         VALUES ($1, $2, $3, 'QUEUED', 'QUEUED', 0, $4, $5, $6, $7, $8, $9, $10, now())
         ON CONFLICT ON CONSTRAINT uq_jobs_team_idempotency_key DO NOTHING RETURNING id`,
        [
          job.teamId,
          job.uploadId,
          job.idempotencyKey,
          JSON.stringify(job.options),
          job.filename,
          job.blobKey,
          job.contentType,
          job.width,
          job.height,
          job.bytes,
        ],
      );
      if (!rows.length) return null;
      await alongside(manager, rows[0].id);
      return this.published(manager, rows[0].id);
    });
  }

  /** Cancels a QUEUED or RUNNING job of the team: the canceled job, or the job as it is (null: no such job). */
  async cancel(teamId: string, jobId: string): Promise<{ job: JobEntity | null; canceled: boolean }> {
    if (!isUuid(jobId)) return { job: null, canceled: false };
    const job = await this.transition(
      jobId,
      `UPDATE jobs SET status = 'CANCELED', error_code = $3, error_message = 'Canceled by the team.', finished_at = now(), updated_at = now()
       WHERE id = $1 AND team_id = $2 AND status IN ${ACTIVE} RETURNING id`,
      [jobId, teamId, JobErrorCode.CANCELED],
    );
    return job ? { job, canceled: true } : { job: await this.findInTeam(teamId, jobId), canceled: false };
  }

  /** Takes the job for `attempt` (RUNNING, progress 0); null when it finished or a later attempt has it. */
  claim(jobId: string, attempt: number): Promise<JobEntity | null> {
    return this.transition(
      jobId,
      `UPDATE jobs SET status = 'RUNNING', stage = 'QUEUED', progress = 0, attempt = $2, started_at = COALESCE(started_at, now()), updated_at = now()
       WHERE id = $1 AND status IN ${ACTIVE} AND attempt < $2 RETURNING id`,
      [jobId, attempt],
    );
  }

  async setProgress(jobId: string, attempt: number, change: { stage: JobStage; progress: number }): Promise<void> {
    await this.transition(
      jobId,
      `UPDATE jobs SET stage = $3, progress = $4, updated_at = now() WHERE id = $1 AND attempt = $2 AND status = 'RUNNING' RETURNING id`,
      [jobId, attempt, change.stage, change.progress],
    );
  }

  /** Back to QUEUED for another attempt. */
  async requeue(jobId: string, attempt: number): Promise<void> {
    await this.transition(
      jobId,
      `UPDATE jobs SET status = 'QUEUED', stage = 'QUEUED', progress = 0, updated_at = now() WHERE id = $1 AND attempt = $2 AND status = 'RUNNING' RETURNING id`,
      [jobId, attempt],
    );
  }

  /** SUCCEEDED with its result; false when the attempt no longer owns the job (canceled, or taken over). */
  async succeed(jobId: string, attempt: number, result: StoredResult): Promise<boolean> {
    const job = await this.transition(
      jobId,
      `UPDATE jobs SET status = 'SUCCEEDED', stage = 'STORED', progress = 1, result_blob_key = $3, result_content_type = $4,
                result_width = $5, result_height = $6, result_bytes = $7, foreground_fraction = $8, inference_ms = $9,
                finished_at = now(), updated_at = now()
         WHERE id = $1 AND attempt = $2 AND status = 'RUNNING' RETURNING id`,
      [
        jobId,
        attempt,
        result.blobKey,
        result.contentType,
        result.width,
        result.height,
        result.bytes,
        result.foregroundFraction,
        result.inferenceMs,
      ],
    );
    return job !== null;
  }

  /** FAILED with a code, when `attempt` still owns the job. */
  async fail(jobId: string, attempt: number, code: JobErrorCode, message: string): Promise<void> {
    await this.transition(
      jobId,
      `UPDATE jobs SET status = 'FAILED', error_code = $3, error_message = $4, finished_at = now(), updated_at = now()
       WHERE id = $1 AND attempt = $2 AND status IN ${ACTIVE} RETURNING id`,
      [jobId, attempt, code, message],
    );
  }

  /** FAILED with a code, when no attempt reached `beforeAttempt` (its worker was lost); keeps the last real attempt. */
  failUnfinished(jobId: string, beforeAttempt: number, code: JobErrorCode, message: string): Promise<JobEntity | null> {
    return this.transition(
      jobId,
      `UPDATE jobs SET status = 'FAILED', error_code = $3, error_message = $4, finished_at = now(), updated_at = now()
       WHERE id = $1 AND status IN ${ACTIVE} AND attempt < $2 RETURNING id`,
      [jobId, beforeAttempt, code, message],
    );
  }

  async statusOf(jobId: string): Promise<JobStatus | null> {
    const job = await this.dataSource.getRepository(JobEntity).findOne({ where: { id: jobId }, select: { id: true, status: true } });
    return job?.status ?? null;
  }

  /**
   * The guarded transition helper: one UPDATE … RETURNING id whose WHERE holds the fence and,
   * when it matched, the job's new state published in the same transaction.
   */
  private transition(jobId: string, sql: string, params: unknown[]): Promise<JobEntity | null> {
    return this.dataSource.transaction(async (manager) =>
      (await queryRows<{ id: string }>(manager, sql, params)).length ? this.published(manager, jobId) : null,
    );
  }

  private async published(manager: EntityManager, jobId: string): Promise<JobEntity> {
    const job = await manager.getRepository(JobEntity).findOneByOrFail({ id: jobId });
    await publishJobEvent(manager, jobEventOf(job));
    return job;
  }
}
