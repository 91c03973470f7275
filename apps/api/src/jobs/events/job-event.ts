import type { JobErrorCode, JobStage, JobStatus } from '@cutout/job-vocabulary';
import type { EntityManager } from 'typeorm';
import type { JobEntity } from '../entities/job.entity';

/**
 * What travels between processes for each change of a job (small: NOTIFY payloads are limited
 * to 8 kB). It carries everything a JobEvent output needs, so subscribers read no row.
 */
export interface JobEvent {
  jobId: string;
  teamId: string;
  status: JobStatus;
  stage: JobStage;
  progress: number;
  errorCode: JobErrorCode | null;
  errorMessage: string | null;
  /** The row's version after this change: a subscriber skips an event it has already seen (or an older one). */
  version: number;
  at: string;
  /** Set on a job's state re-read after the LISTEN connection was lost (never sent by NOTIFY); `at` is then the row's updated_at. */
  replayed?: true;
}

/** The PostgreSQL NOTIFY channel of job events. */
export const JOB_EVENTS_CHANNEL = 'cutout_job_events';

/** The event of a job's current row. */
export function jobEventOf(job: JobEntity, at = new Date()): JobEvent {
  return {
    jobId: job.id,
    teamId: job.teamId,
    status: job.status,
    stage: job.stage,
    progress: job.progress,
    errorCode: job.errorCode,
    errorMessage: job.errorMessage,
    version: job.version,
    at: at.toISOString(),
  };
}

/** Queues the event in the caller's transaction: it leaves only if the change commits. */
export async function publishJobEvent(manager: EntityManager, event: JobEvent): Promise<void> {
  await manager.query('SELECT pg_notify($1, $2)', [JOB_EVENTS_CHANNEL, JSON.stringify(event)]);
}
