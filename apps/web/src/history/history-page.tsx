import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { formatCredits } from '../format';
import { execute } from '../graphql/client';
import { jobErrorSentence } from '../graphql/errors';
import type { JobStatus } from '../graphql/generated/graphql';
import { usePollWhile, useSocketGeneration, useSubscription } from '../graphql/hooks';
import { useSession } from '../session/session';
import { CANCELING_REASON, isCancelable, useCancel } from '../remove/cancel';
import { ErrorAlert, ProgressBar } from '../ui/alert';
import { LoadMore } from '../ui/load-more';
import { CancelHistoryJobDocument, HistoryJobDocument, HistoryJobsDocument, TeamJobsDocument } from './history-documents';
import {
  addLiveJob,
  appendPage,
  applyEvent,
  emptyHistory,
  FINAL_STATUSES,
  formatDateTime,
  optionsSummary,
  STATUS_LABELS,
  withFreshRange,
  type HistoryJob,
  type HistoryState,
  type JobEvent,
} from './history-state';

const PAGE_SIZE = 20;
/** Pages a catch-up reads again at most (what a stream outage can refresh exactly; older shown jobs stay). */
const CATCH_UP_PAGES = 5;
/** How often the list catches up (its loaded range read again) while the teamJobs stream is refused or failed. */
export const HISTORY_POLL_MS = 10_000;
const STATUSES = Object.keys(STATUS_LABELS) as JobStatus[];

function Expiry({ job }: { job: HistoryJob }) {
  if (job.status !== 'SUCCEEDED') return null;
  if (job.resultExpired) return <p className="small muted">The result was deleted by your team’s retention policy.</p>;
  if (!job.resultExpiresAt) return null;
  return (
    <p className="small muted">
      Result kept until <time dateTime={job.resultExpiresAt}>{formatDateTime(job.resultExpiresAt)}</time>
    </p>
  );
}

/** "Cancel" on a queued or running job; the answer (the canceled, refunded job) replaces the row. */
function CancelButton({ job, onCanceled }: { job: HistoryJob; onCanceled: (job: HistoryJob) => void }) {
  const reasonId = useId();
  const { cancel, canceling, error } = useCancel(
    async () => (await execute(CancelHistoryJobDocument, { input: { id: job.id } })).cancelJob,
    onCanceled,
  );
  return (
    <>
      <p className="row small">
        <button
          type="button"
          className="button"
          onClick={() => void cancel()}
          disabled={canceling}
          aria-describedby={canceling ? reasonId : undefined}
        >
          {canceling ? 'Canceling…' : 'Cancel'}
          <span className="visually-hidden"> {job.filename}</span>
        </button>
        {canceling && (
          <span id={reasonId} className="muted" role="status">
            {CANCELING_REASON}
          </span>
        )}
      </p>
      <ErrorAlert sentence={error} />
    </>
  );
}

function HistoryItem({ job, onCanceled }: { job: HistoryJob; onCanceled: (job: HistoryJob) => void }) {
  const titleId = useId();
  const finished = FINAL_STATUSES.includes(job.status);
  const error = job.error ? jobErrorSentence(job.error.code, job.error.message) : undefined;
  return (
    <li className="card history-item" aria-labelledby={titleId}>
      <div className="history-thumb checkerboard">
        {job.thumbnailUrl ? (
          <img src={job.thumbnailUrl} alt={`${job.filename}: background removed`} loading="lazy" />
        ) : (
          <span className="small muted">{job.status === 'SUCCEEDED' ? 'No preview' : STATUS_LABELS[job.status]}</span>
        )}
      </div>
      <div className="stack history-body">
        <h2 id={titleId} className="history-title">
          {job.filename}
        </h2>
        <p className="small muted">
          <time dateTime={job.createdAt}>{formatDateTime(job.createdAt)}</time> · {optionsSummary(job.options)}
        </p>
        <p className="row history-status">
          <span className={`status-badge status-${job.status.toLowerCase()}`}>{STATUS_LABELS[job.status]}</span>
          <span className="small">
            {formatCredits(job.creditsCharged)}
            {job.creditsRefunded > 0 && ` · ${formatCredits(job.creditsRefunded)} refunded`}
          </span>
        </p>
        {!finished && <ProgressBar value={job.progress} label={`Progress of ${job.filename}`} />}
        {/* A canceled job's sentence is news (someone asked for it), not an error. */}
        {error && <p className={`alert ${job.status === 'CANCELED' ? 'info' : 'error'}`}>{error.text}</p>}
        {isCancelable(job.status) && <CancelButton job={job} onCanceled={onCanceled} />}
        <Expiry job={job} />
        {(job.inputUrl || job.resultUrl) && (
          <p className="row small">
            {job.inputUrl && (
              <a href={job.inputUrl}>
                Original<span className="visually-hidden"> of {job.filename}</span>
              </a>
            )}
            {job.resultUrl && (
              <a href={job.resultUrl}>
                Result<span className="visually-hidden"> of {job.filename}</span>
              </a>
            )}
          </p>
        )}
      </div>
    </li>
  );
}

/** The team's jobs, newest first, by status, a page at a time; live through teamJobs. */
export function HistoryPage() {
  const { team } = useSession();
  const teamId = team?.id;
  const [filter, setFilter] = useState<JobStatus | null>(null);
  const [state, setState] = useState<HistoryState>(emptyHistory);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>();
  const generation = useRef(0);
  const shown = useRef(state);
  shown.current = state;
  const filterId = useId();

  const loadPage = useCallback(
    async (after: string | null, reset: boolean) => {
      if (!teamId) return;
      const id = reset ? ++generation.current : generation.current;
      setLoading(true);
      setError(undefined);
      try {
        const { jobs } = await execute(HistoryJobsDocument, { teamId, status: filter, first: PAGE_SIZE, after });
        if (id !== generation.current) return;
        const page = { jobs: jobs.edges.map((e) => e.node), endCursor: jobs.pageInfo.endCursor, hasNextPage: jobs.pageInfo.hasNextPage };
        // An older page only joins the list it was asked for: a catch-up may have replaced it meanwhile.
        setState((current) => (reset ? appendPage(emptyHistory, page) : current.endCursor === after ? appendPage(current, page) : current));
      } catch (e) {
        if (id === generation.current) setError(e);
      } finally {
        if (id === generation.current) setLoading(false);
      }
    },
    [teamId, filter],
  );

  useEffect(() => {
    setState(emptyHistory);
    void loadPage(null, true);
  }, [loadPage]);

  const refreshJob = useCallback(
    async (jobId: string) => {
      const id = generation.current;
      try {
        const { job } = await execute(HistoryJobDocument, { id: jobId });
        if (id === generation.current) setState((current) => addLiveJob(current, job, filter));
      } catch {
        // The job may have been deleted meanwhile; the next event or reload shows the truth.
      }
    },
    [filter],
  );

  const onEvent = useCallback(
    ({ teamJobs: event }: { teamJobs: JobEvent }) => {
      const known = shown.current.jobs.some((j) => j.id === event.jobId);
      setState((current) => applyEvent(current, event, filter) ?? current);
      // New jobs, and finished ones (their thumbnail, expiry and refund), are read in full.
      if (!known || FINAL_STATUSES.includes(event.status)) void refreshJob(event.jobId);
    },
    [refreshJob, filter],
  );
  const down = useSubscription(TeamJobsDocument, teamId ? { teamId } : null, onEvent);
  // What the stream would have said: the loaded range is read again, newest first (at most CATCH_UP_PAGES
  // pages), and replaces the list; jobs still shown as running beyond it are read one by one.
  const catchUp = useCallback(async () => {
    if (!teamId) return;
    const id = generation.current;
    const before = shown.current;
    const fresh: HistoryState = { jobs: [], endCursor: null, hasNextPage: true };
    try {
      for (let pages = 0; pages < CATCH_UP_PAGES && fresh.hasNextPage && (pages === 0 || fresh.jobs.length < before.jobs.length); pages++) {
        const { jobs } = await execute(HistoryJobsDocument, { teamId, status: filter, first: PAGE_SIZE, after: fresh.endCursor });
        if (id !== generation.current) return;
        fresh.jobs.push(...jobs.edges.map((e) => e.node));
        fresh.endCursor = jobs.pageInfo.endCursor ?? fresh.endCursor;
        fresh.hasNextPage = jobs.pageInfo.hasNextPage;
      }
    } catch {
      // Read again at the next poll or reset.
      return;
    }
    const capped = fresh.hasNextPage && fresh.jobs.length < before.jobs.length;
    const ids = new Set(fresh.jobs.map((j) => j.id));
    // A "Load more" that landed meanwhile moved the list on: the next poll or reset catches up with that one.
    setState((current) => (current.endCursor === before.endCursor ? withFreshRange(current, fresh, capped) : current));
    if (capped) for (const job of before.jobs) if (!ids.has(job.id) && !FINAL_STATUSES.includes(job.status)) void refreshJob(job.id);
  }, [teamId, filter, refreshJob]);

  // After a socket reset the stream above subscribes again, but teamJobs sends no current state:
  // the list catches up, once per reset.
  const socketGeneration = useSocketGeneration();
  const handledGeneration = useRef(socketGeneration);
  useEffect(() => {
    if (socketGeneration === handledGeneration.current) return;
    handledGeneration.current = socketGeneration;
    void catchUp();
  }, [socketGeneration, catchUp]);
  // A stream the server refused (too many on this socket) or that failed: the list catches up every HISTORY_POLL_MS instead.
  usePollWhile(down, catchUp, HISTORY_POLL_MS);

  const onCanceled = useCallback((job: HistoryJob) => setState((current) => addLiveJob(current, job, filter)), [filter]);

  return (
    <div className="stack">
      <h1>History</h1>
      <p className="muted">
        Every background removal of {team?.name ?? 'your team'}, newest first. New jobs and their progress appear at the top as they run.
      </p>
      <div className="field history-filter">
        <label htmlFor={filterId}>Status</label>
        <select id={filterId} value={filter ?? ''} onChange={(e) => setFilter((e.target.value || null) as JobStatus | null)}>
          <option value="">All statuses</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      <ErrorAlert error={error} />
      {state.jobs.length > 0 && (
        <ul className="history-list" aria-label="Jobs">
          {state.jobs.map((job) => (
            <HistoryItem key={job.id} job={job} onCanceled={onCanceled} />
          ))}
        </ul>
      )}
      {!loading && !error && state.jobs.length === 0 && (
        <p className="card">
          {filter ? `No ${STATUS_LABELS[filter].toLowerCase()} jobs.` : 'No jobs yet. Remove a background to see it here.'}
        </p>
      )}
      <LoadMore hasNextPage={state.hasNextPage} loading={loading} loadMore={() => void loadPage(state.endCursor, false)} />
    </div>
  );
}
