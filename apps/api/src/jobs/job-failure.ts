import type { JobErrorCode } from '@cutout/job-vocabulary';

/**
 * Why a job could not be done, in the job's own words (Job.error.code and message). Raised by
 * the inference gateway for a failed call and by the worker for a missing input; `transient`
 * says another attempt may succeed.
 */
export class JobFailure extends Error {
  constructor(
    readonly code: JobErrorCode,
    message: string,
    readonly transient = false,
  ) {
    super(message);
    this.name = 'JobFailure';
  }
}
