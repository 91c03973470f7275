import type { ReactNode } from 'react';
import { ErrorAlert } from './alert';

export interface LoadMoreProps {
  /** Whether older items remain; nothing is rendered (but a loading or error line) when they don't. */
  hasNextPage: boolean | null | undefined;
  /** A page (the first or the next) is being fetched. */
  loading: boolean;
  loadMore(): void;
  /** The button's visible text: "Load more" unless given ("Load more requests"). */
  children?: ReactNode;
  /** Said after the text to screen readers only ("Load more purchases"): tells apart a page's several lists. */
  label?: string;
  /** The list's paging error, shown as its sentence above the button; nothing when there is none. */
  error?: unknown;
  /**
   * While a page loads: `status` hides the button and says "Loading…" (a list whose own loading is
   * shown here); `disable` keeps the button, disabled, on its own line (a table whose query shows
   * its loading elsewhere).
   */
  whileLoading?: 'status' | 'disable';
}

/** The "Load more" under a paged list or table (a Relay connection read a page at a time). */
export function LoadMore({ hasNextPage, loading, loadMore, children = 'Load more', label, error, whileLoading = 'status' }: LoadMoreProps) {
  const text = (
    <>
      {children}
      {label && <span className="visually-hidden"> {label}</span>}
    </>
  );
  if (whileLoading === 'disable') {
    return (
      <>
        <ErrorAlert error={error} />
        {hasNextPage && (
          <div>
            <button type="button" className="button" disabled={loading} onClick={() => loadMore()}>
              {text}
            </button>
          </div>
        )}
      </>
    );
  }
  return (
    <>
      <ErrorAlert error={error} />
      {loading && <p role="status">Loading…</p>}
      {hasNextPage && !loading && (
        <button type="button" className="button" onClick={() => loadMore()}>
          {text}
        </button>
      )}
    </>
  );
}
