import { isTerminalJobStatus } from '@cutout/job-vocabulary';
import { execute, onSocketReset, subscribe } from '../graphql/client';
import { ApiError } from '../graphql/errors';
import type { JobSnapshot } from './progress';
import { JobProgressDocument, JobUpdatedDocument } from './remove-documents';

/**
 * Follows one job until it is final, whatever happens to its live stream. The API allows
 * WS_MAX_SUBSCRIPTIONS_PER_SOCKET subscriptions per socket (RATE_LIMITED beyond) and the page has
 * one socket, so at most `maxLive` jobs are followed over `jobUpdated` at once; the others read
 * `job(id)` every `pollMs` and take a live slot when one frees. A stream that is refused, fails or
 * ends before a final state is never the job's outcome: the job is read instead, until it is final.
 * After the socket is reset (session.refresh()), which ends every stream, live jobs subscribe again.
 * Only a read can end the watch without a final state: NOT_FOUND (the job is gone, or the person no
 * longer belongs to its team) or UNAUTHENTICATED (the session ended) will not change by reading
 * again, so the watch stops and says why (`onEnded`): the card shows it and can be removed.
 */

/** Answers to job(id) after which reading again is pointless. */
const ENDING_CODES: readonly string[] = ['NOT_FOUND', 'UNAUTHENTICATED'];

export interface JobSink {
  next(job: JobSnapshot): void;
  error(error: ApiError): void;
  complete(): void;
}

/** Where job states come from (the real client by default; fakes in tests). */
export interface JobSource {
  /** jobUpdated: the job's current state first, then every change; ends after a final state. */
  subscribe(jobId: string, sink: JobSink): () => void;
  /** job(id). */
  read(jobId: string): Promise<JobSnapshot>;
  /** Calls `listener` after the socket was reset (every stream on it ended). */
  onReset(listener: () => void): () => void;
}

export interface JobWatchOptions {
  /** Live streams at once, well under the API's per-socket default (100) with room for the page's others. */
  maxLive: number;
  /** Between two reads of a job followed without a stream. */
  pollMs: number;
  /** The longest wait between reads while they fail (it doubles from pollMs). */
  maxPollMs: number;
}

export const DEFAULT_JOB_WATCH_OPTIONS: JobWatchOptions = { maxLive: 20, pollMs: 2_000, maxPollMs: 15_000 };

export type WatchJob = (jobId: string, onJob: (job: JobSnapshot) => void, onEnded?: (error: ApiError) => void) => () => void;

interface Watch {
  jobId: string;
  onJob(job: JobSnapshot): void;
  onEnded?(error: ApiError): void;
  done: boolean;
  /** The open stream, if any: `ended` makes its late callbacks harmless. */
  live?: { ended: boolean; stop: () => void };
  /** Its stream was refused or ended early on this socket: it is read (never streamed again) until the socket is reset. */
  readOnly: boolean;
  timer?: ReturnType<typeof setTimeout>;
  failures: number;
}

export function createJobWatcher(source: JobSource, options: JobWatchOptions = DEFAULT_JOB_WATCH_OPTIONS): WatchJob {
  const watches = new Set<Watch>();
  let active = 0;
  // Lowered when the API refuses a stream (its limit counts the page's other subscriptions too); back to maxLive on a new socket.
  let capacity = options.maxLive;

  const endLive = (watch: Watch) => {
    const live = watch.live;
    if (!live || live.ended) return;
    live.ended = true;
    watch.live = undefined;
    live.stop();
    active -= 1;
  };

  /** A freed live slot goes to a job that is being read. */
  const promote = () => {
    for (const watch of watches) {
      if (active >= capacity) return;
      if (!watch.live && !watch.readOnly) goLive(watch);
    }
  };

  const finish = (watch: Watch) => {
    watch.done = true;
    clearTimeout(watch.timer);
    watches.delete(watch);
    const hadLive = Boolean(watch.live);
    endLive(watch);
    if (hadLive) promote();
  };

  const deliver = (watch: Watch, job: JobSnapshot) => {
    if (watch.done) return;
    watch.onJob(job);
    if (isTerminalJobStatus(job.status)) finish(watch);
  };

  const poll = (watch: Watch, delay: number) => {
    clearTimeout(watch.timer);
    if (watch.done || watch.live) return;
    watch.timer = setTimeout(() => {
      void (async () => {
        try {
          const job = await source.read(watch.jobId);
          watch.failures = 0;
          // A stream opened meanwhile starts with the current state: it wins.
          if (!watch.live) deliver(watch, job);
        } catch (error) {
          if (error instanceof ApiError && ENDING_CODES.includes(error.code)) {
            if (watch.done) return;
            finish(watch);
            watch.onEnded?.(error);
            return;
          }
          // Not the job's outcome either: read again, less often.
          watch.failures += 1;
        }
        poll(watch, Math.min(options.maxPollMs, options.pollMs * 2 ** watch.failures));
      })();
    }, delay);
  };

  /** Opens a stream when a slot is free; false when the job is read instead. */
  function goLive(watch: Watch): boolean {
    if (watch.done || watch.live || watch.readOnly || active >= capacity) return false;
    clearTimeout(watch.timer);
    active += 1;
    const live = { ended: false, stop: () => undefined as void };
    watch.live = live;
    const fallBack = () => {
      // Streaming it again at once could loop (an error that repeats): it is read from now on.
      watch.readOnly = true;
      endLive(watch);
      if (watch.done) return;
      poll(watch, 0);
      promote();
    };
    const stop = source.subscribe(watch.jobId, {
      next: (job) => {
        if (!live.ended) deliver(watch, job);
      },
      error: (error) => {
        if (live.ended) return;
        if (error.code === 'RATE_LIMITED') capacity = Math.max(0, active - 1);
        fallBack();
      },
      // Ended before a final state (a final one finished the watch): read it.
      complete: () => {
        if (!live.ended) fallBack();
      },
    });
    // A stream that ended while being opened is stopped now.
    if (live.ended) stop();
    else live.stop = stop;
    return true;
  }

  source.onReset(() => {
    capacity = options.maxLive;
    for (const watch of watches) {
      watch.readOnly = false;
      endLive(watch);
    }
    for (const watch of watches) if (!goLive(watch)) poll(watch, 0);
  });

  return (jobId, onJob, onEnded) => {
    const watch: Watch = { jobId, onJob, onEnded, done: false, readOnly: false, failures: 0 };
    watches.add(watch);
    if (!goLive(watch)) poll(watch, 0);
    return () => {
      if (!watch.done) finish(watch);
    };
  };
}

const clientSource: JobSource = {
  subscribe: (jobId, sink) =>
    subscribe(
      JobUpdatedDocument,
      { jobId },
      { next: ({ jobUpdated }) => sink.next(jobUpdated), error: (error) => sink.error(error), complete: () => sink.complete() },
    ),
  read: async (jobId) => (await execute(JobProgressDocument, { id: jobId })).job,
  onReset: onSocketReset,
};

/** The page's one watcher, on the app's socket. */
export const watchJob: WatchJob = createJobWatcher(clientSource);
