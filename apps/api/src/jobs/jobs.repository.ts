import { Inject, Injectable } from '@nestjs/common';
import { JobErrorCode, JobStatus, type JobStage } from '@cutout/job-vocabulary';
import type { DataSource, EntityManager } from 'typeorm';
import type { Connection, PageArgs } from '../common/pagination/connection.types';
import { keysetPage } from '../common/pagination/keyset-page';
import { DATA_SOURCE } from '../common/tokens';
import { isUuid } from '../common/uuid';
import { CreditsService } from '../credits/credits.service';
import { queryRows } from '../database/query-rows';
import { effectiveRetentionSql, type RetentionBounds } from '../privacy/retention/retention-bounds';
import { BlobDeletions } from '../storage/blob-deletions';
import { JobEntity, type JobOptions } from './entities/job.entity';
import { jobEventOf, publishJobEvent } from './events/job-event';

/** succeed's rollback when a sweep had taken the attempt's queued result. */
class ResultSwept extends Error {}

/** A job about to be created: its input (a stored upload) and checked options. */
export interface NewJob {
  teamId: string;
  uploadId: string;
  idempotencyKey: string;
  options: JobOptions;
  /** The input's file name, sealed under the team's data key (FileNames). */
  filenameSealed: Buffer;
  blobKey: string;
  contentType: string;
  width: number;
  height: number;
  bytes: number;
  /** The job's price, charged (JOB_CHARGE) in the transaction that creates it. */
  priceQuarters: number;
  /** Who submitted it (null for an API key): the charge's actor. */
  actorUserId: string | null;
}

/**
 * A retention cut-off: the run's time, the configured minimum, default and maximum (hours or days;
 * a team's value takes effect clamped into the bounds, `effectiveRetentionSql`), the held teams.
 */
export interface RetentionCut extends RetentionBounds {
  now: Date;
  default: number;
  heldTeamIds: string[];
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

/** The refund of a job's whole charge, set by every transition that ends it FAILED or CANCELED. */
const REFUND = 'credits_refunded_quarters = credits_charged_quarters';

/**
 * Every SQL statement on `jobs`. Each change is one guarded UPDATE (its WHERE holds the fence:
 * the status it leaves, the attempt that owns it) whose new state is published with pg_notify
 * in the same transaction, so an event leaves exactly when its change commits. Credits move
 * with the job: the charge in the transaction that creates it, the refund in the one that ends
 * it FAILED or CANCELED (a guarded transition matches once, and the ledger is idempotent per job).
 */
@Injectable()
export class JobsRepository {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly credits: CreditsService,
    private readonly blobDeletions: BlobDeletions,
  ) {}

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

  /** The team's jobs, newest first (created_at DESC, id DESC; idx_jobs_team_created), optionally in one status. */
  page(teamId: string, args: PageArgs & { status?: JobStatus }): Promise<Connection<JobEntity>> {
    const query = this.dataSource.getRepository(JobEntity).createQueryBuilder('j').where('j.team_id = :teamId', { teamId });
    if (args.status) query.andWhere('j.status = :status', { status: args.status });
    return keysetPage(
      query,
      args,
      { createdAt: 'j.created_at', id: 'j.id' },
      (j) => j,
      (j) => j,
      'DESC',
    );
  }

  /**
   * Creates a QUEUED job, charges its price and runs `alongside` (the queue message) in the same
   * transaction. Null when a job with the same idempotency key already exists (nothing is written,
   * nothing charged); INSUFFICIENT_CREDITS from the ledger rolls everything back.
   */
  create(job: NewJob, alongside: (manager: EntityManager, jobId: string) => Promise<void>): Promise<JobEntity | null> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await queryRows<{ id: string }>(
        manager,
        `INSERT INTO jobs (team_id, upload_id, idempotency_key, status, stage, progress, options, input_filename_sealed, input_blob_key,
                           input_content_type, input_width, input_height, input_bytes, credits_charged_quarters, queued_at)
         VALUES ($1, $2, $3, 'QUEUED', 'QUEUED', 0, $4, $5, $6, $7, $8, $9, $10, $11, now())
         ON CONFLICT ON CONSTRAINT uq_jobs_team_idempotency_key DO NOTHING RETURNING id`,
        [
          job.teamId,
          job.uploadId,
          job.idempotencyKey,
          JSON.stringify(job.options),
          job.filenameSealed,
          job.blobKey,
          job.contentType,
          job.width,
          job.height,
          job.bytes,
          job.priceQuarters,
        ],
      );
      if (!rows.length) return null;
      const jobId = rows[0].id;
      await this.credits.apply(
        { teamId: job.teamId, kind: 'JOB_CHARGE', amountQuarters: -job.priceQuarters, reference: jobId, actorUserId: job.actorUserId },
        manager,
      );
      await alongside(manager, jobId);
      return this.published(manager, jobId);
    });
  }

  /**
   * Cancels (and refunds) a QUEUED or RUNNING job of the team: the canceled job, or the job as it
   * is (null: no such job). `actorUserId`: who canceled (null for an API key).
   */
  async cancel(teamId: string, jobId: string, actorUserId: string | null = null): Promise<{ job: JobEntity | null; canceled: boolean }> {
    if (!isUuid(jobId)) return { job: null, canceled: false };
    const job = await this.transition(
      jobId,
      `UPDATE jobs SET status = 'CANCELED', error_code = $3, error_message = 'Canceled by the team.', ${REFUND}, finished_at = now(), updated_at = now(), version = version + 1
       WHERE id = $1 AND team_id = $2 AND status IN ${ACTIVE} RETURNING id`,
      [jobId, teamId, JobErrorCode.CANCELED],
      { actorUserId },
    );
    return job ? { job, canceled: true } : { job: await this.findInTeam(teamId, jobId), canceled: false };
  }

  /** Takes the job for `attempt` (RUNNING, progress 0); null when it finished or a later attempt has it. */
  claim(jobId: string, attempt: number): Promise<JobEntity | null> {
    return this.transition(
      jobId,
      `UPDATE jobs SET status = 'RUNNING', stage = 'QUEUED', progress = 0, attempt = $2, started_at = COALESCE(started_at, now()), updated_at = now(), version = version + 1
       WHERE id = $1 AND status IN ${ACTIVE} AND attempt < $2 RETURNING id`,
      [jobId, attempt],
    );
  }

  async setProgress(jobId: string, attempt: number, change: { stage: JobStage; progress: number }): Promise<void> {
    await this.transition(
      jobId,
      `UPDATE jobs SET stage = $3, progress = $4, updated_at = now(), version = version + 1 WHERE id = $1 AND attempt = $2 AND status = 'RUNNING' RETURNING id`,
      [jobId, attempt, change.stage, change.progress],
    );
  }

  /** Back to QUEUED for another attempt. */
  async requeue(jobId: string, attempt: number): Promise<void> {
    await this.transition(
      jobId,
      `UPDATE jobs SET status = 'QUEUED', stage = 'QUEUED', progress = 0, updated_at = now(), version = version + 1 WHERE id = $1 AND attempt = $2 AND status = 'RUNNING' RETURNING id`,
      [jobId, attempt],
    );
  }

  /** SUCCEEDED with its result; false when the attempt no longer owns the job (canceled, or taken over). */
  async succeed(jobId: string, attempt: number, result: StoredResult): Promise<boolean> {
    try {
      const job = await this.transition(
        jobId,
        `UPDATE jobs SET status = 'SUCCEEDED', stage = 'STORED', progress = 1, result_blob_key = $3, result_content_type = $4,
                  result_width = $5, result_height = $6, result_bytes = $7, foreground_fraction = $8, inference_ms = $9,
                  finished_at = now(), updated_at = now(), version = version + 1
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
        undefined,
        // The worker queued its result before writing it (BlobDeletions.queueAhead): named now, it leaves the
        // queue; if a sweep already took it (the attempt stalled past its grace), the result is not the job's.
        async (manager) => {
          if (!(await this.blobDeletions.unqueue(manager, [result.blobKey]))) throw new ResultSwept();
        },
      );
      return job !== null;
    } catch (error) {
      if (error instanceof ResultSwept) return false;
      throw error;
    }
  }

  /** FAILED with a code (and refunded), when `attempt` still owns the job. */
  async fail(jobId: string, attempt: number, code: JobErrorCode, message: string): Promise<void> {
    await this.transition(
      jobId,
      `UPDATE jobs SET status = 'FAILED', error_code = $3, error_message = $4, ${REFUND}, finished_at = now(), updated_at = now(), version = version + 1
       WHERE id = $1 AND attempt = $2 AND status IN ${ACTIVE} RETURNING id`,
      [jobId, attempt, code, message],
      { actorUserId: null },
    );
  }

  /** FAILED with a code (and refunded), when no attempt reached `beforeAttempt` (its worker was lost); keeps the last real attempt. */
  failUnfinished(jobId: string, beforeAttempt: number, code: JobErrorCode, message: string): Promise<JobEntity | null> {
    return this.transition(
      jobId,
      `UPDATE jobs SET status = 'FAILED', error_code = $3, error_message = $4, ${REFUND}, finished_at = now(), updated_at = now(), version = version + 1
       WHERE id = $1 AND status IN ${ACTIVE} AND attempt < $2 RETURNING id`,
      [jobId, beforeAttempt, code, message],
      { actorUserId: null },
    );
  }

  /** Uploads (of those given) that a QUEUED or RUNNING job still needs: the retention sweeper keeps them. */
  async activeUploadIds(manager: EntityManager, uploadIds: string[]): Promise<Set<string>> {
    const rows = await queryRows<{ id: string }>(
      manager,
      `SELECT DISTINCT upload_id AS id FROM jobs WHERE upload_id = ANY($1::uuid[]) AND status IN ${ACTIVE}`,
      [uploadIds],
    );
    return new Set(rows.map((r) => r.id));
  }

  /** The jobs made from these uploads stop naming the original's blob (the sweeper deletes it with the upload). */
  async releaseInputs(manager: EntityManager, uploadIds: string[]): Promise<void> {
    await manager.query(
      `UPDATE jobs SET input_blob_key = NULL, updated_at = now(), version = version + 1 WHERE upload_id = ANY($1::uuid[]) AND input_blob_key IS NOT NULL`,
      [uploadIds],
    );
  }

  /**
   * Retention: up to `limit` results older than their team's resultsHours (finished before `now`
   * minus it, clamped into the configured bounds; held teams skipped) lose their blob key and get `result_purged_at`, in one
   * statement. Answers the blob keys to delete once this commits.
   */
  async purgeExpiredResults(
    cut: RetentionCut,
    limit: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ id: string; key: string }[]> {
    return queryRows(
      manager,
      `WITH picked AS (
         SELECT j.id, j.result_blob_key AS key FROM jobs j LEFT JOIN team_retention_policies p ON p.team_id = j.team_id
          WHERE j.result_blob_key IS NOT NULL
            AND j.finished_at <= $1::timestamptz - make_interval(hours => ${effectiveRetentionSql('p.results_hours', '$3', '$2', '$6')})
            AND NOT (j.team_id = ANY($4::uuid[]))
          ORDER BY j.finished_at LIMIT $5 FOR UPDATE OF j SKIP LOCKED)
       UPDATE jobs j SET result_blob_key = NULL, result_purged_at = $1, updated_at = now(), version = j.version + 1
         FROM picked WHERE j.id = picked.id RETURNING j.id, picked.key`,
      [cut.now, cut.minimum, cut.default, cut.heldTeamIds, limit, cut.maximum],
    );
  }

  /**
   * Retention: deletes up to `limit` finished jobs older than their team's jobRecordsDays (clamped
   * into the configured bounds; held teams skipped). Ledger rows keep their amounts (they name the job as text). Answers the
   * blobs the rows still named (a result not yet purged; an input whose upload is gone).
   */
  deleteExpiredRecords(
    cut: RetentionCut,
    limit: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ result: string | null; input: string | null }[]> {
    return queryRows<{ result: string | null; input: string | null }>(
      manager,
      `WITH picked AS (
         SELECT j.id FROM jobs j LEFT JOIN team_retention_policies p ON p.team_id = j.team_id
          WHERE j.finished_at <= $1::timestamptz - make_interval(days => ${effectiveRetentionSql('p.job_records_days', '$3', '$2', '$6')})
            AND j.status NOT IN ${ACTIVE} AND NOT (j.team_id = ANY($4::uuid[]))
          ORDER BY j.finished_at LIMIT $5 FOR UPDATE OF j SKIP LOCKED)
       DELETE FROM jobs j USING picked WHERE j.id = picked.id
       RETURNING j.result_blob_key AS result, CASE WHEN j.upload_id IS NULL THEN j.input_blob_key END AS input`,
      [cut.now, cut.minimum, cut.default, cut.heldTeamIds, limit, cut.maximum],
    );
  }

  /**
   * What a gap in job events may have hidden (JobEventsService's catch-up): the jobs named, and the
   * teams' jobs changed since `since`, most recently changed first (at most `limit`).
   */
  changedSince(jobIds: string[], teamIds: string[], since: Date, limit: number): Promise<JobEntity[]> {
    return this.dataSource
      .getRepository(JobEntity)
      .createQueryBuilder('j')
      .where('j.id = ANY(CAST(:jobIds AS uuid[])) OR (j.team_id = ANY(CAST(:teamIds AS uuid[])) AND j.updated_at >= :since)', {
        jobIds: jobIds.filter(isUuid),
        teamIds: teamIds.filter(isUuid),
        since,
      })
      .orderBy('j.updated_at', 'DESC')
      .limit(limit)
      .getMany();
  }

  async statusOf(jobId: string): Promise<JobStatus | null> {
    const job = await this.dataSource.getRepository(JobEntity).findOne({ where: { id: jobId }, select: { id: true, status: true } });
    return job?.status ?? null;
  }

  /**
   * The guarded transition helper: one UPDATE … RETURNING id whose WHERE holds the fence and,
   * when it matched, the job's new state published in the same transaction. A transition that
   * ends the job FAILED or CANCELED passes `refund`: the charge its UPDATE marked refunded goes
   * back to the team (JOB_REFUND, keyed by the job) in that same transaction.
   */
  private transition(
    jobId: string,
    sql: string,
    params: unknown[],
    refund?: { actorUserId: string | null },
    also?: (manager: EntityManager) => Promise<void>,
  ): Promise<JobEntity | null> {
    return this.dataSource.transaction(async (manager) => {
      if (!(await queryRows<{ id: string }>(manager, sql, params)).length) return null;
      await also?.(manager);
      const job = await this.read(manager, jobId);
      if (refund && job.creditsRefundedQuarters > 0) {
        await this.credits.apply(
          { teamId: job.teamId, kind: 'JOB_REFUND', amountQuarters: job.creditsRefundedQuarters, reference: job.id, ...refund },
          manager,
        );
      }
      await publishJobEvent(manager, jobEventOf(job));
      return job;
    });
  }

  private async published(manager: EntityManager, jobId: string): Promise<JobEntity> {
    const job = await this.read(manager, jobId);
    await publishJobEvent(manager, jobEventOf(job));
    return job;
  }

  private read(manager: EntityManager, jobId: string): Promise<JobEntity> {
    return manager.getRepository(JobEntity).findOneByOrFail({ id: jobId });
  }
}
