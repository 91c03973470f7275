import type { Client } from 'graphql-ws';
import type { GraphqlError } from './graphql-client';

export type SubscriptionEnd = { kind: 'complete' } | { kind: 'error'; errors: GraphqlError[] } | { kind: 'closed'; code: number };

/** One graphql-ws subscription, recorded: every event it received, and how it ended. */
export interface RecordedSubscription<T> {
  events: T[];
  /** Resolves with the next event not yet taken by an earlier nextEvent() (or already received). */
  nextEvent(): Promise<T>;
  ended: Promise<SubscriptionEnd>;
}

export function recordSubscription<T = Record<string, any>>(
  client: Client,
  query: string,
  variables?: Record<string, unknown>,
): RecordedSubscription<T> {
  const events: T[] = [];
  const waiting: ((event: T) => void)[] = [];
  let taken = 0;
  let end: (value: SubscriptionEnd) => void = () => undefined;
  const ended = new Promise<SubscriptionEnd>((resolve) => (end = resolve));
  client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        if (value.errors?.length) return end({ kind: 'error', errors: value.errors as GraphqlError[] });
        events.push(value.data as T);
        waiting.shift()?.(value.data as T);
      },
      error: (error) =>
        end(
          Array.isArray(error)
            ? { kind: 'error', errors: error as GraphqlError[] }
            : { kind: 'closed', code: (error as { code: number }).code },
        ),
      complete: () => end({ kind: 'complete' }),
    },
  );
  return {
    events,
    ended,
    nextEvent: () => {
      const index = taken++;
      return index < events.length ? Promise.resolve(events[index]) : new Promise<T>((resolve) => waiting.push(resolve));
    },
  };
}

/** Resolves with the close code of the client's socket once it closes. */
export function closeCode(client: Client): Promise<number> {
  return new Promise((resolve) => client.on('closed', (event) => resolve((event as { code: number }).code)));
}
