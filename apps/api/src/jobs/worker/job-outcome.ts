import type { JobErrorCode } from '@cutout/job-vocabulary';

/**
 * What a worker's handler did with one delivery. Only the queue adapter turns `retry` into
 * the throw pg-boss needs to deliver the job again; every other outcome completes the delivery.
 * - succeeded: the result is stored and the job SUCCEEDED.
 * - failed: the job FAILED with `code` (an expected failure, or the last attempt's).
 * - retry: the job is QUEUED again for another attempt.
 * - canceled: the team canceled the job while it ran.
 * - skipped: nothing to do (the job finished, or another attempt owns it).
 */
export type JobOutcome =
  | { kind: 'succeeded' }
  | { kind: 'failed'; code: JobErrorCode; message: string }
  | { kind: 'retry'; reason: string }
  | { kind: 'canceled' }
  | { kind: 'skipped'; reason: string };

export const JobOutcome = {
  succeeded: (): JobOutcome => ({ kind: 'succeeded' }),
  failed: (code: JobErrorCode, message: string): JobOutcome => ({ kind: 'failed', code, message }),
  retry: (reason: string): JobOutcome => ({ kind: 'retry', reason }),
  canceled: (): JobOutcome => ({ kind: 'canceled' }),
  skipped: (reason: string): JobOutcome => ({ kind: 'skipped', reason }),
};

/** One delivery of a queued job to a worker. */
export interface JobDelivery {
  jobId: string;
  /** 1 for the first delivery; JOB_MAX_ATTEMPTS + 1 is the delivery after a lost last attempt. */
  attempt: number;
  /** Aborted when the worker stops. */
  signal?: AbortSignal;
}

export type JobHandler = (delivery: JobDelivery) => Promise<JobOutcome>;
