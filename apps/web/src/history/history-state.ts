import type { HistoryJobFragment, JobStatus, TeamJobsSubscription } from '../graphql/generated/graphql';

export type HistoryJob = HistoryJobFragment;
export type JobEvent = TeamJobsSubscription['teamJobs'];

/** The loaded part of a team's history: jobs in the API's order (newest first), and where the next (older) page starts. */
export interface HistoryState {
  jobs: HistoryJob[];
  endCursor: string | null;
  hasNextPage: boolean;
}

export const emptyHistory: HistoryState = { jobs: [], endCursor: null, hasNextPage: false };

/** The API's order: created later first, then the larger id first (ISO times of one format compare as strings). */
const comesBefore = (a: HistoryJob, b: HistoryJob) => (a.createdAt !== b.createdAt ? a.createdAt > b.createdAt : a.id > b.id);

export const FINAL_STATUSES: readonly JobStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELED'];

/** Appends a page, skipping jobs already shown (a job added live may come again with its page). */
export function appendPage(
  state: HistoryState,
  page: { jobs: HistoryJob[]; endCursor: string | null | undefined; hasNextPage: boolean },
): HistoryState {
  const known = new Set(state.jobs.map((j) => j.id));
  const added = page.jobs.filter((j) => !known.has(j.id));
  return {
    jobs: [...state.jobs, ...added],
    endCursor: page.endCursor ?? state.endCursor,
    hasNextPage: page.hasNextPage,
  };
}

/** Whether a job belongs in a list filtered by `filter` (null: every status). */
const matches = (status: JobStatus, filter: JobStatus | null) => filter === null || status === filter;

/** The list without the job at `index`. */
function without(state: HistoryState, index: number): HistoryState {
  return { ...state, jobs: state.jobs.filter((_, i) => i !== index) };
}

/**
 * Applies a teamJobs event to a job already shown; `undefined` when the job is not in the list. A job that
 * leaves the filtered status leaves the list (a "Queued" list shows no job that started).
 */
export function applyEvent(state: HistoryState, event: JobEvent, filter: JobStatus | null): HistoryState | undefined {
  const index = state.jobs.findIndex((j) => j.id === event.jobId);
  if (index < 0) return undefined;
  if (!matches(event.status, filter)) return without(state, index);
  const job = state.jobs[index];
  const updated: HistoryJob = {
    ...job,
    status: event.status,
    stage: event.stage,
    progress: event.progress,
    resultUrl: event.resultUrl ?? job.resultUrl,
    error: event.error ?? job.error,
  };
  const jobs = [...state.jobs];
  jobs[index] = updated;
  return { ...state, jobs };
}

/**
 * Adds a job that appeared live in its place in the newest-first list (a new job: at the top), only if
 * it matches the status filter. One older than every loaded job while older pages remain is left to
 * "Load more", which brings it with its page. Replaces the job when already shown, or removes it when
 * it no longer matches the filter.
 */
export function addLiveJob(state: HistoryState, job: HistoryJob, filter: JobStatus | null): HistoryState {
  const index = state.jobs.findIndex((j) => j.id === job.id);
  if (!matches(job.status, filter)) return index >= 0 ? without(state, index) : state;
  if (index >= 0) {
    const jobs = [...state.jobs];
    jobs[index] = job;
    return { ...state, jobs };
  }
  const at = state.jobs.findIndex((shown) => comesBefore(job, shown));
  if (at < 0 && state.hasNextPage) return state;
  const jobs = [...state.jobs];
  jobs.splice(at < 0 ? jobs.length : at, 0, job);
  return { ...state, jobs };
}

/**
 * The list after the live stream missed events (a socket reset, or a stream the API refused), from its
 * loaded range read again, newest first: `fresh` holds the newest jobs, at least as many as were shown
 * unless `capped` (the catch-up reads at most a few pages). Uncapped it replaces the list (jobs started,
 * finished, deleted or moved out of the filter meanwhile, by anyone, are all in it; "Load more" goes on from
 * its end). Capped, the shown jobs older than its last stay after it, with the list's own place in the pages.
 */
export function withFreshRange(
  state: HistoryState,
  fresh: { jobs: HistoryJob[]; endCursor: string | null | undefined; hasNextPage: boolean },
  capped: boolean,
): HistoryState {
  if (!capped || fresh.jobs.length === 0) return appendPage(emptyHistory, fresh);
  const oldest = fresh.jobs[fresh.jobs.length - 1];
  const ids = new Set(fresh.jobs.map((j) => j.id));
  const tail = state.jobs.filter((j) => !ids.has(j.id) && comesBefore(oldest, j));
  return { jobs: [...fresh.jobs, ...tail], endCursor: state.endCursor, hasNextPage: state.hasNextPage };
}

export const STATUS_LABELS: Record<JobStatus, string> = {
  QUEUED: 'Queued',
  RUNNING: 'Running',
  SUCCEEDED: 'Succeeded',
  FAILED: 'Failed',
  CANCELED: 'Canceled',
};

/** A moment for people, in their time zone: "Nov 30, 2026, 3:44 AM". */
export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });
}

/** The options a job ran with, in words, for its line in the history: "Cut-out, full size, PNG, high quality". */
export function optionsSummary(options: HistoryJob['options']): string {
  const size = options.size === 'full' ? 'full size' : options.size === 'preview' ? 'preview size' : `at most ${options.size} MP`;
  const format = options.format === 'WEBP' ? 'WebP' : options.format;
  const cutout = options.type === 'CUTOUT';
  return [
    cutout ? 'Cut-out' : 'Mask',
    size,
    format,
    options.mode === 'HIGH' && 'high quality',
    cutout && options.bgColor && `on ${options.bgColor.toLowerCase()}`,
    options.crop && 'cropped',
    options.refine && 'refined edges',
    cutout && !options.decontaminate && 'edge colours kept',
  ]
    .filter(Boolean)
    .join(', ');
}
