/** What a job has done so far: QUEUED, then DECODED → INFERENCE → REFINE (when refine is on) → ENCODED → STORED. */
export const JobStage = {
  QUEUED: 'QUEUED',
  DECODED: 'DECODED',
  INFERENCE: 'INFERENCE',
  REFINE: 'REFINE',
  ENCODED: 'ENCODED',
  STORED: 'STORED',
} as const;
export type JobStage = (typeof JobStage)[keyof typeof JobStage];
/** In the order a job passes them. */
export const JOB_STAGES: readonly JobStage[] = Object.values(JobStage);
