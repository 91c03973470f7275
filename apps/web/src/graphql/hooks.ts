import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { execute, onSocketReset, socketGeneration, subscribe } from './client';
import type { ApiError } from './errors';
import type { TypedDocumentString } from './generated/graphql';

export interface QueryState<R> {
  data: R | undefined;
  error: unknown;
  loading: boolean;
  refetch: () => Promise<void>;
}

/**
 * Runs a query on mount and whenever its variables change; `skip` holds it back. Its data and error
 * belong to the variables they were read for: after a change (another team) nothing is answered
 * until the new variables' answer arrives, so a page never shows one team's figures under another's
 * name, nor keeps them when the new request fails. A refetch with the same variables keeps the data.
 */
export function useQuery<R, V>(document: TypedDocumentString<R, V>, variables: V, options: { skip?: boolean } = {}): QueryState<R> {
  const key = JSON.stringify(variables ?? {});
  const [state, setState] = useState<{ key: string; data?: R; error?: unknown; loading: boolean }>({ key, loading: !options.skip });
  const latest = useRef(0);
  const run = useCallback(async () => {
    const id = ++latest.current;
    setState((s) => (s.key === key ? { ...s, loading: true } : { key, loading: true }));
    try {
      const data = await execute(document, JSON.parse(key) as V);
      if (id === latest.current) setState({ key, data, loading: false });
    } catch (error) {
      if (id === latest.current) setState((s) => ({ key, data: s.key === key ? s.data : undefined, error, loading: false }));
    }
  }, [document, key]);
  useEffect(() => {
    if (!options.skip) void run();
  }, [run, options.skip]);
  // Until the effect above starts the new variables' request, the state still holds the old ones'.
  const current = state.key === key ? state : { data: undefined, error: undefined, loading: !options.skip };
  return { data: current.data, error: current.error, loading: current.loading, refetch: run };
}

/** The socket's generation (see resetSubscriptions): changes whenever the socket was reset and its subscriptions ended. */
export function useSocketGeneration(): number {
  return useSyncExternalStore(onSocketReset, socketGeneration, socketGeneration);
}

/**
 * Keeps a subscription open while mounted (and while `variables` is not null), subscribing again
 * after the socket is reset (session.refresh(), sign-in, sign-out), which ends every subscription.
 * Answers whether the stream is down: refused by the server (too many on this socket) or failed,
 * and no event since (a page then reads instead: usePollWhile).
 */
export function useSubscription<R, V>(
  document: TypedDocumentString<R, V>,
  variables: V | null,
  onData: (data: R) => void,
  onError?: (error: ApiError) => void,
): boolean {
  const handlers = useRef({ onData, onError });
  handlers.current = { onData, onError };
  const [down, setDown] = useState(false);
  const key = variables === null ? null : JSON.stringify(variables);
  const generation = useSocketGeneration();
  useEffect(() => {
    // A new stream (other variables, a new socket) is not down until it fails.
    setDown(false);
    if (key === null) return undefined;
    return subscribe(document, JSON.parse(key) as V, {
      next: (data) => {
        setDown(false);
        handlers.current.onData(data);
      },
      error: (error) => {
        setDown(true);
        handlers.current.onError?.(error);
      },
    });
  }, [document, key, generation]);
  return down;
}

/**
 * Calls `read` at once and then every `everyMs` while `active`: what a page does instead of a
 * stream the server refused (too many on this socket) or that failed, so its figures still move.
 */
export function usePollWhile(active: boolean, read: () => unknown, everyMs: number): void {
  const latest = useRef(read);
  latest.current = read;
  useEffect(() => {
    if (!active) return undefined;
    void latest.current();
    const timer = setInterval(() => void latest.current(), everyMs);
    return () => clearInterval(timer);
  }, [active, everyMs]);
}
