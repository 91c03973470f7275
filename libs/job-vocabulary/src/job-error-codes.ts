/** Machine-readable reasons a job FAILED or was CANCELED (Job.error.code); listed in the README. */
export const JobErrorCode = {
  UNSUPPORTED_IMAGE: 'UNSUPPORTED_IMAGE',
  IMAGE_TOO_LARGE: 'IMAGE_TOO_LARGE',
  INVALID_OPTIONS: 'INVALID_OPTIONS',
  INFERENCE_UNAVAILABLE: 'INFERENCE_UNAVAILABLE',
  INFERENCE_TIMEOUT: 'INFERENCE_TIMEOUT',
  INFERENCE_BUSY: 'INFERENCE_BUSY',
  INPUT_UNAVAILABLE: 'INPUT_UNAVAILABLE',
  WORKER_LOST: 'WORKER_LOST',
  CANCELED: 'CANCELED',
  INTERNAL_ERROR: 'INTERNAL_ERROR',
} as const;
export type JobErrorCode = (typeof JobErrorCode)[keyof typeof JobErrorCode];
export const JOB_ERROR_CODES: readonly JobErrorCode[] = Object.values(JobErrorCode);
