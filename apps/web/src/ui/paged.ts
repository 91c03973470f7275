import { useCallback, useEffect, useRef, useState } from 'react';

export interface Page<T> {
  items: T[];
  endCursor: string | null | undefined;
  hasNextPage: boolean;
}

export interface Paged<T> {
  items: T[];
  hasNextPage: boolean;
  loading: boolean;
  error: unknown;
  loadMore(): void;
  /** Fetches the first (newest) page again: new items go on top, shown ones are updated (the lists are newest first). */
  refresh(): void;
}

/**
 * `items` after a fresh first page: its items on top, replacing shown copies, followed by the
 * older items still shown. Null when nothing was shown or the page's last item is not shown (more
 * new items than a page): the list then restarts from that page.
 */
export function mergeFirstPage<T extends { id: string }>(items: T[], page: T[]): T[] | null {
  const last = page.at(-1);
  if (items.length === 0 || (last && !items.some((i) => i.id === last.id))) return null;
  const fresh = new Set(page.map((i) => i.id));
  return [...page, ...items.filter((i) => !fresh.has(i.id))];
}

/** A Relay connection read a page at a time ("Load more"), restarting when `key` changes. */
export function usePaged<T extends { id: string }>(key: string | null, load: (after: string | null) => Promise<Page<T>>): Paged<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<{ endCursor: string | null; hasNextPage: boolean }>({ endCursor: null, hasNextPage: false });
  const [loading, setLoading] = useState(key !== null);
  const [error, setError] = useState<unknown>();
  const generation = useRef(0);
  const loader = useRef(load);
  loader.current = load;
  const latest = useRef(cursor);
  latest.current = cursor;
  const shown = useRef(items);
  shown.current = items;

  const fetchPage = useCallback(async (after: string | null, reset: boolean) => {
    const id = reset ? ++generation.current : generation.current;
    setLoading(true);
    setError(undefined);
    try {
      const page = await loader.current(after);
      if (id !== generation.current) return;
      setItems((current) => {
        const base = reset ? [] : current;
        const known = new Set(base.map((i) => i.id));
        return [...base, ...page.items.filter((i) => !known.has(i.id))];
      });
      setCursor((current) => ({ endCursor: page.endCursor ?? (reset ? null : current.endCursor), hasNextPage: page.hasNextPage }));
    } catch (e) {
      if (id === generation.current) setError(e);
    } finally {
      if (id === generation.current) setLoading(false);
    }
  }, []);

  const refreshFirst = useCallback(async () => {
    const id = generation.current;
    try {
      const page = await loader.current(null);
      if (id !== generation.current) return;
      const merged = mergeFirstPage(shown.current, page.items);
      setItems(merged ?? page.items);
      if (!merged) setCursor({ endCursor: page.endCursor ?? null, hasNextPage: page.hasNextPage });
    } catch (e) {
      if (id === generation.current) setError(e);
    }
  }, []);

  useEffect(() => {
    setItems([]);
    setCursor({ endCursor: null, hasNextPage: false });
    if (key !== null) void fetchPage(null, true);
  }, [key, fetchPage]);

  return {
    items,
    hasNextPage: cursor.hasNextPage,
    loading,
    error,
    loadMore: () => void fetchPage(latest.current.endCursor, false),
    refresh: () => void refreshFirst(),
  };
}
