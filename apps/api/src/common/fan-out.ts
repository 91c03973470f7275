import { setMaxListeners } from 'node:events';

/** An EventTarget without a listener limit: hundreds of subscribers may follow one key of an in-memory fan-out. */
export function unlimitedEventTarget(): EventTarget {
  const target = new EventTarget();
  setMaxListeners(0, target);
  return target;
}

/**
 * The keys (a job, a team) this process's subscribers follow right now, counted per open stream:
 * what a catch-up re-reads after the events of a gap were lost.
 */
export class FollowedKeys {
  private readonly counts = new Map<string, number>();

  keys(): string[] {
    return [...this.counts.keys()];
  }

  /** `source`, counted under `key` from its first next() until it ends or is returned. */
  follow<T>(key: string, source: AsyncIterable<T>): AsyncIterable<T> {
    const counts = this.counts;
    return {
      [Symbol.asyncIterator]: () => {
        const inner = source[Symbol.asyncIterator]();
        let state: 'new' | 'counted' | 'ended' = 'new';
        const release = () => {
          if (state === 'counted') {
            const left = (counts.get(key) ?? 1) - 1;
            if (left > 0) counts.set(key, left);
            else counts.delete(key);
          }
          state = 'ended';
        };
        return {
          next: async () => {
            if (state === 'new') {
              state = 'counted';
              counts.set(key, (counts.get(key) ?? 0) + 1);
            }
            const next = await inner.next();
            if (next.done) release();
            return next;
          },
          return: async (value?: unknown) => {
            release();
            return ((await inner.return?.(value)) ?? { done: true, value: undefined }) as IteratorResult<T>;
          },
        };
      },
    };
  }
}
