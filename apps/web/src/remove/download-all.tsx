import { useId, useState } from 'react';
import { describeError, type ErrorSentence } from '../graphql/errors';
import { ErrorAlert } from '../ui/alert';
import { startDownload } from '../ui/download-link';
import type { FinishedResult, ZipProgress } from './zip-results';
import { zipFileName } from './zip-names';

export type { FinishedResult } from './zip-results';

function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  startDownload(url, filename);
  // The browser has taken the download once click() returns; the URL is freed a little later.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** "Download all (N)": every finished result in one zip, built in the browser. */
export function DownloadAll({
  results,
  onExpired,
}: {
  results: readonly FinishedResult[];
  /** A result the retention policy has deleted meanwhile (its card stops offering it). */
  onExpired?: (jobId: string) => void;
}) {
  const [progress, setProgress] = useState<ZipProgress>();
  const [error, setError] = useState<ErrorSentence>();
  const busy = progress !== undefined;
  const statusId = useId();

  const run = async () => {
    if (busy || !results.length) return;
    setError(undefined);
    setProgress({ n: 1, total: results.length });
    try {
      const { buildResultsZip, ResultFetchError } = await import('./zip-results');
      try {
        const blob = await buildResultsZip(results, setProgress);
        saveBlob(blob, zipFileName(new Date()));
      } catch (e) {
        if (e instanceof ResultFetchError) {
          const { text, link } = describeError(e.error);
          setError({ text: `Could not add ${e.filename} to the zip: ${text}`, link });
          if (e.error.code === 'RESULT_EXPIRED') onExpired?.(e.jobId);
        } else setError(describeError(e));
      }
    } catch (e) {
      // The chunk itself did not load (offline, or a new version was deployed).
      setError(describeError(e));
    } finally {
      setProgress(undefined);
    }
  };

  return (
    <div className="stack download-all">
      <div className="row">
        <button
          type="button"
          className="button primary"
          onClick={() => void run()}
          disabled={busy}
          aria-describedby={busy ? statusId : undefined}
        >
          Download all ({results.length})
        </button>
        <span id={statusId} className="small muted" role="status">
          {progress === 'zipping' ? 'Building the zip…' : progress ? `Preparing ${progress.n} of ${progress.total}…` : ''}
        </span>
      </div>
      <ErrorAlert sentence={error} />
    </div>
  );
}
