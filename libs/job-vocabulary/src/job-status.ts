/** Where a job is in its life. Status only moves forward: QUEUED → RUNNING → one of the terminal statuses. */
export const JobStatus = {
  QUEUED: 'QUEUED',
  RUNNING: 'RUNNING',
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
  CANCELED: 'CANCELED',
} as const;
export type JobStatus = (typeof JobStatus)[keyof typeof JobStatus];
export const JOB_STATUSES: readonly JobStatus[] = Object.values(JobStatus);

/** A status a job never leaves. */
export type TerminalJobStatus = typeof JobStatus.SUCCEEDED | typeof JobStatus.FAILED | typeof JobStatus.CANCELED;
/** A status a job can still leave (and be canceled from). */
export type ActiveJobStatus = Exclude<JobStatus, TerminalJobStatus>;

export const TERMINAL_JOB_STATUSES: ReadonlySet<JobStatus> = new Set<TerminalJobStatus>([
  JobStatus.SUCCEEDED,
  JobStatus.FAILED,
  JobStatus.CANCELED,
]);
export const ACTIVE_JOB_STATUSES: readonly ActiveJobStatus[] = [JobStatus.QUEUED, JobStatus.RUNNING];

export function isTerminalJobStatus(status: string): status is TerminalJobStatus {
  return TERMINAL_JOB_STATUSES.has(status as JobStatus);
}
