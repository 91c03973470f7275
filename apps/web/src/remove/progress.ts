import type { JobStage, JobStatus } from '../graphql/generated/graphql';

/**
 * One image card's life, as a pure reducer: read the file → createUpload → PUT the bytes →
 * removeBackground → jobUpdated events until a terminal status. The bar is one number, 0–1:
 * the upload fills the first UPLOAD_SHARE, the job's own progress (which moves during inference)
 * the rest, and it never goes backwards, whatever order events arrive in.
 */
export const UPLOAD_SHARE = 0.15;

/**
 * `lost`: the job can no longer be read (deleted, its team left, the session ended). It may still run and be charged,
 * so it is neither "failed" nor offered again: the card says it is no longer followed and can only be removed.
 */
export type CardPhase =
  'ready' | 'waiting' | 'uploading' | 'submitting' | 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled' | 'lost';

export interface CardError {
  code: string;
  message: string;
  extensions?: Record<string, unknown>;
}

export interface CardState {
  phase: CardPhase;
  /** The job's stage once submitted. */
  stage: JobStage | undefined;
  /** Overall progress, 0–1. */
  progress: number;
  jobId: string | undefined;
  resultUrl: string | undefined;
  error: CardError | undefined;
}

export interface JobSnapshot {
  id?: string;
  jobId?: string;
  status: JobStatus;
  stage: JobStage;
  progress: number;
  resultUrl?: string | null;
  error?: { code: string; message: string } | null;
}

export type CardAction =
  | { type: 'upload-waiting' }
  | { type: 'upload-started' }
  | { type: 'upload-progress'; fraction: number }
  | { type: 'uploaded' }
  | { type: 'submitted'; job: JobSnapshot }
  | { type: 'job-event'; job: JobSnapshot }
  | { type: 'failed'; error: CardError }
  | { type: 'lost'; error: CardError }
  /** A freshly signed link to the result (the one from the job's event expires: result-link.ts). */
  | { type: 'result-link'; resultUrl: string }
  | { type: 'reset' };

export const initialCardState: CardState = {
  phase: 'ready',
  stage: undefined,
  progress: 0,
  jobId: undefined,
  resultUrl: undefined,
  error: undefined,
};

const TERMINAL: readonly CardPhase[] = ['succeeded', 'failed', 'canceled', 'lost'];

export function isFinished(state: CardState): boolean {
  return TERMINAL.includes(state.phase);
}

const clamp = (n: number) => (Number.isFinite(n) ? Math.max(0, Math.min(1, n)) : 0);

function phaseOf(status: JobStatus): CardPhase {
  switch (status) {
    case 'QUEUED':
      return 'queued';
    case 'RUNNING':
      return 'running';
    case 'SUCCEEDED':
      return 'succeeded';
    case 'FAILED':
      return 'failed';
    case 'CANCELED':
      return 'canceled';
  }
}

function applyJob(state: CardState, job: JobSnapshot): CardState {
  const jobId = job.jobId ?? job.id ?? state.jobId;
  if (state.jobId && jobId && jobId !== state.jobId) return state;
  if (isFinished(state)) return state;
  const phase = phaseOf(job.status);
  const jobProgress = phase === 'succeeded' ? 1 : clamp(job.progress);
  const overall = UPLOAD_SHARE + (1 - UPLOAD_SHARE) * jobProgress;
  const terminal = TERMINAL.includes(phase);
  // A late, older event (lower progress, non-terminal) must not move the card back.
  if (!terminal && overall < state.progress && state.jobId) return state;
  return {
    ...state,
    phase,
    jobId,
    stage: job.stage,
    progress: phase === 'failed' || phase === 'canceled' ? state.progress : Math.max(state.progress, overall),
    resultUrl: job.resultUrl ?? state.resultUrl,
    error: job.error
      ? { code: job.error.code, message: job.error.message }
      : phase === 'canceled'
        ? { code: 'CANCELED', message: '' }
        : undefined,
  };
}

export function cardReducer(state: CardState, action: CardAction): CardState {
  switch (action.type) {
    case 'reset':
      return initialCardState;
    case 'upload-waiting':
      return { ...initialCardState, phase: 'waiting' };
    case 'upload-started':
      return { ...initialCardState, phase: 'uploading' };
    case 'upload-progress':
      if (state.phase !== 'uploading') return state;
      return { ...state, progress: Math.max(state.progress, clamp(action.fraction) * UPLOAD_SHARE) };
    case 'uploaded':
      if (state.phase !== 'uploading') return state;
      return { ...state, phase: 'submitting', progress: UPLOAD_SHARE };
    case 'submitted':
    case 'job-event':
      return applyJob(state, action.job);
    case 'failed':
    case 'lost':
      if (isFinished(state)) return state;
      return { ...state, phase: action.type, error: action.error };
    case 'result-link':
      return state.phase === 'succeeded' ? { ...state, resultUrl: action.resultUrl } : state;
  }
}

const STAGE_LABELS: Record<JobStage, string> = {
  QUEUED: 'Waiting in the queue',
  DECODED: 'Image decoded',
  INFERENCE: 'Finding the subject',
  REFINE: 'Refining the edges',
  ENCODED: 'Encoding the result',
  STORED: 'Saving the result',
};

/** What the card says under its bar. */
export function describeCard(state: CardState): string {
  switch (state.phase) {
    case 'ready':
      return 'Ready';
    case 'waiting':
      return 'Waiting to upload';
    case 'uploading':
      return 'Uploading';
    case 'submitting':
      return 'Starting';
    case 'succeeded':
      return 'Done';
    case 'failed':
      return 'Failed';
    case 'canceled':
      return 'Canceled';
    case 'lost':
      return 'No longer followed';
    default:
      return state.stage ? STAGE_LABELS[state.stage] : 'Waiting in the queue';
  }
}
