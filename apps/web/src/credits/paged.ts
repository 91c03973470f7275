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
  /** When every page is loaded, fetches what came after the last one (the lists are oldest first). */
  catchUp(): void;
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
    catchUp: () => {
      if (!latest.current.hasNextPage) void fetchPage(latest.current.endCursor, latest.current.endCursor === null);
    },
  };
}
