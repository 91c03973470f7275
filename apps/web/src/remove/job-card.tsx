import { useEffect, useId, useReducer, useRef, useState, type MouseEvent } from 'react';
import { execute } from '../graphql/client';
import { ApiError, describeError, jobErrorSentence, type ErrorSentence } from '../graphql/errors';
import type { RemoveBackgroundOptionsInput } from '../graphql/generated/graphql';
import { formatCredits } from '../format';
import { Alert, ErrorAlert, ProgressBar } from '../ui/alert';
import { startDownload } from '../ui/download-link';
import { CANCELING_REASON, isCardCancelable, useCancel } from './cancel';
import { ComparisonSlider } from './comparison-slider';
import { cardReducer, describeCard, initialCardState, isFinished, type CardAction, type CardState } from './progress';
import { watchJob } from './job-watch';
import type { SavedCard } from './remove-session';
import { CancelJobDocument, CreateUploadDocument, RemoveBackgroundDocument } from './remove-documents';
import { freshResultUrl, linkExpiresSoon } from './result-link';
import { ACCEPTED_TYPES, putFile, sameOrigin } from './upload';
import { takeUploadSlot } from './upload-slots';

export interface ImageItem {
  key: string;
  file: File;
  previewUrl: string;
  size?: { width: number; height: number };
  /** Set when the person submits: the options and team this card runs with. */
  run?: {
    teamId: string;
    options: RemoveBackgroundOptionsInput;
    attempt: number;
    /**
     * The job's idempotencyKey: kept by a retry of an attempt that never learnt its job (a lost
     * answer returns the same job, charged once), new only after the job itself FAILED or was CANCELED.
     */
    idempotencyKey: string;
  };
}

function errorOf(state: CardState): ErrorSentence | undefined {
  if (!state.error) return undefined;
  const { code, message, extensions } = state.error;
  return state.jobId ? jobErrorSentence(code, message) : describeError(new ApiError(message, code, extensions ?? {}));
}

/** The job can no longer be read (deleted, its team left, the session ended): the card stops with that error and can be removed. */
const lostJob = (error: ApiError): CardAction => ({ type: 'lost', error: { code: error.code, message: error.message } });

function downloadName(file: File, url: string): string {
  const ext = /\.(png|webp|jpe?g)(?:\?|$)/i.exec(url)?.[1] ?? 'png';
  return `${file.name.replace(/\.[^.]+$/, '')}-cutout.${ext.toLowerCase()}`;
}

/** Runs one image through upload → job → live progress, and shows the result. */
export function JobCard({
  item,
  cost,
  onRemove,
  onRetry,
  onStateChange,
  expired = false,
  onExpired,
  resume,
}: {
  item: ImageItem;
  cost: number | undefined;
  onRemove: () => void;
  /** `newJob`: the job FAILED or was CANCELED (per the API), so the retry is a new job; otherwise the same one is asked for again. */
  onRetry: (newJob: boolean) => void;
  /** Every change of the card's state (the page collects finished results for "Download all"). */
  onStateChange?: (state: CardState) => void;
  /** The result was deleted by the retention policy since it was made: no longer shown or offered. */
  expired?: boolean;
  /** Asking for a fresh result link found the result deleted by the retention policy. */
  onExpired?: (jobId: string) => void;
  /** The card's last state before the page was left (remove-session.ts): a known job is shown and followed, not run again. */
  resume?: SavedCard;
}) {
  const run = item.run;
  // Its job known, or its attempt ended before one existed (a failed upload, INSUFFICIENT_CREDITS): shown as it was, not run again.
  const resumed =
    resume && run && resume.attempt === run.attempt && (resume.state.jobId || isFinished(resume.state)) ? resume.state : undefined;
  const [state, dispatch] = useReducer(cardReducer, resumed ?? initialCardState);
  const started = useRef<number | undefined>(resumed ? run?.attempt : undefined);
  const supported = ACCEPTED_TYPES.includes(item.file.type);

  // Shown again with its job still going: follow it (live, or read when the stream is refused).
  const resumedJob = useRef(resumed && !isFinished(resumed) ? resumed.jobId : undefined);
  useEffect(() => {
    const jobId = resumedJob.current;
    return jobId
      ? watchJob(
          jobId,
          (snapshot) => dispatch({ type: 'job-event', job: snapshot }),
          (error) => dispatch(lostJob(error)),
        )
      : undefined;
  }, []);

  useEffect(() => {
    if (!supported) dispatch({ type: 'failed', error: { code: 'UNSUPPORTED_IMAGE', message: '' } });
  }, [supported]);

  useEffect(() => {
    if (!run || !supported || started.current === run.attempt) return undefined;
    started.current = run.attempt;
    let live = true;
    // Left (the card unmounted): an upload in progress stops, and gives its slot back at once.
    const abandoned = new AbortController();
    let stop: (() => void) | undefined;
    dispatch({ type: 'upload-waiting' });
    void (async () => {
      let release: (() => void) | undefined;
      try {
        // A few photos upload at once (upload-slots.ts); each asks for its URL when its turn comes.
        release = await takeUploadSlot();
        if (!live) return;
        dispatch({ type: 'upload-started' });
        const { createUpload } = await execute(CreateUploadDocument, {
          input: { teamId: run.teamId, filename: item.file.name, contentType: item.file.type, byteSize: item.file.size },
        });
        await putFile(
          createUpload.uploadUrl,
          item.file,
          (fraction) => live && dispatch({ type: 'upload-progress', fraction }),
          abandoned.signal,
        );
        release();
        if (!live) return;
        dispatch({ type: 'uploaded' });
        const { removeBackground: job } = await execute(RemoveBackgroundDocument, {
          input: { teamId: run.teamId, uploadId: createUpload.id, idempotencyKey: run.idempotencyKey, options: run.options },
        });
        if (!live) return;
        dispatch({ type: 'submitted', job });
        // From here on the card shows the job's own state: live, or read from the API when the
        // stream is refused or ends early (job-watch.ts); nothing else makes it fail but a read the API refuses for good.
        stop = watchJob(
          job.id,
          (snapshot) => dispatch({ type: 'job-event', job: snapshot }),
          (error) => dispatch(lostJob(error)),
        );
      } catch (error) {
        const apiError = error instanceof ApiError ? error : new ApiError(String(error), 'INTERNAL_SERVER_ERROR');
        if (live) dispatch({ type: 'failed', error: { code: apiError.code, message: apiError.message, extensions: apiError.extensions } });
      } finally {
        release?.();
      }
    })();
    return () => {
      live = false;
      abandoned.abort();
      stop?.();
    };
    // The run object identifies one submission; the item's file never changes.
  }, [run, supported, item.file, item.key]);

  const stateRef = useRef(onStateChange);
  stateRef.current = onStateChange;
  useEffect(() => {
    stateRef.current?.(state);
  }, [state]);

  // The result link from the job's event is signed for DOWNLOAD_URL_TTL_SECONDS (1 h): a fresh one is asked
  // for at each download, and before a card shown again shows a result whose link is (nearly) dead.
  const [renewing, setRenewing] = useState(
    () => resumed?.phase === 'succeeded' && !!resumed.resultUrl && linkExpiresSoon(resumed.resultUrl, Date.now()),
  );
  const [linkError, setLinkError] = useState<ErrorSentence>();
  const [downloading, setDownloading] = useState(false);
  const expiredRef = useRef(onExpired);
  expiredRef.current = onExpired;
  const renewLink = async (id: string): Promise<string | undefined> => {
    try {
      const url = await freshResultUrl(id);
      dispatch({ type: 'result-link', resultUrl: url });
      setLinkError(undefined);
      return url;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'RESULT_EXPIRED') expiredRef.current?.(id);
      else setLinkError(describeError(e));
      return undefined;
    }
  };
  const renewOnShow = useRef(renewing ? resumed?.jobId : undefined);
  useEffect(() => {
    const id = renewOnShow.current;
    if (id) void renewLink(id).finally(() => setRenewing(false));
    // Once, when the card is shown again; renewLink reads only refs and stable setters.
  }, []);
  const download = async (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    if (!state.jobId || downloading) return;
    setDownloading(true);
    const url = await renewLink(state.jobId);
    setDownloading(false);
    if (url) startDownload(sameOrigin(url), downloadName(item.file, url));
  };

  const jobId = state.jobId;
  const cancelJob = useCancel(
    async () => (await execute(CancelJobDocument, { input: { id: jobId ?? '' } })).cancelJob,
    // The answer is the canceled job: the card shows it at once (the subscription's event agrees).
    (job) => dispatch({ type: 'job-event', job }),
  );
  const cancelReasonId = useId();

  const result = state.resultUrl && !expired && !renewing ? sameOrigin(state.resultUrl) : undefined;
  const error = errorOf(state);
  const barState = state.phase === 'succeeded' ? 'done' : state.phase === 'failed' ? 'failed' : undefined;
  const label = item.file.name;

  return (
    <li className="card job-card" aria-label={label}>
      <h3 title={label}>{label}</h3>
      {result ? (
        <ComparisonSlider before={item.previewUrl} after={result} label={label} width={item.size?.width} height={item.size?.height} />
      ) : (
        <div className="compare checkerboard" style={item.size ? { aspectRatio: `${item.size.width} / ${item.size.height}` } : undefined}>
          <img src={item.previewUrl} alt={`${label}: original`} />
        </div>
      )}
      {state.phase !== 'ready' && (
        <>
          <ProgressBar value={state.progress} label={`Progress of ${label}`} state={barState} />
          <p className="small muted" aria-live="polite">
            {describeCard(state)} · {Math.round(state.progress * 100)}%
          </p>
        </>
      )}
      {state.phase === 'ready' && (
        <p className="small muted">
          {item.size ? `${item.size.width} × ${item.size.height} px` : 'Reading image…'}
          {cost !== undefined && ` · ${formatCredits(cost)}`}
        </p>
      )}
      {expired && <Alert kind="info">{jobErrorSentence('RESULT_EXPIRED', '').text}</Alert>}
      {/* A cancel was asked for: its outcome is news, not an error. */}
      {state.phase === 'canceled' && error ? <Alert kind="info">{error.text}</Alert> : <ErrorAlert sentence={error} />}
      {isCardCancelable(state) && <ErrorAlert sentence={cancelJob.error} />}
      {!expired && <ErrorAlert sentence={linkError} />}
      <div className="row">
        {result && (
          <a
            className="button primary"
            href={result}
            download={downloadName(item.file, result)}
            aria-disabled={downloading || undefined}
            onClick={(event) => void download(event)}
          >
            {downloading ? 'Preparing…' : 'Download'}
          </a>
        )}
        {isCardCancelable(state) && (
          <button
            type="button"
            className="button"
            onClick={() => void cancelJob.cancel()}
            disabled={cancelJob.canceling}
            aria-describedby={cancelJob.canceling ? cancelReasonId : undefined}
          >
            {cancelJob.canceling ? 'Canceling…' : 'Cancel'}
            <span className="visually-hidden"> {label}</span>
          </button>
        )}
        {isCardCancelable(state) && cancelJob.canceling && (
          <span id={cancelReasonId} className="small muted" role="status">
            {CANCELING_REASON}
          </span>
        )}
        {(state.phase === 'failed' || state.phase === 'canceled') && supported && (
          <button type="button" className="button" onClick={() => onRetry(state.jobId !== undefined)}>
            Try again
          </button>
        )}
        {(state.phase === 'ready' || state.phase === 'waiting' || isFinished(state)) && (
          <button type="button" className="button" onClick={onRemove} aria-label={`Remove ${label} from the list`}>
            Remove
          </button>
        )}
      </div>
    </li>
  );
}
