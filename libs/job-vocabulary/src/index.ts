export { JobStatus, JOB_STATUSES, TERMINAL_JOB_STATUSES, ACTIVE_JOB_STATUSES, isTerminalJobStatus } from './job-status';
export type { TerminalJobStatus, ActiveJobStatus } from './job-status';
export { JobStage, JOB_STAGES } from './job-stage';
export { JobErrorCode, JOB_ERROR_CODES } from './job-error-codes';
export { ApiErrorCode, API_ERROR_CODES } from './api-error-codes';
