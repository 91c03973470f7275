/** How long and how often a request is retried when the connection to the API fails. */
export interface RetryPolicy {
  /** Delay before the first retry (ms). */
  initialDelayMs: number;
  /** Longest delay between two tries (ms). */
  maxDelayMs: number;
  /** No retry starts later than this after the first try (ms). */
  totalMs: number;
}

/** An API restarting (or a supervised child it waits for) is given a minute. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({ initialDelayMs: 250, maxDelayMs: 5_000, totalMs: 60_000 });

/** Delay before retry number `retry` (0-based): doubles from initialDelayMs up to maxDelayMs. */
export function retryDelayMs(retry: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, retry));
}

/**
 * Failures of the connection itself (refused, reset, closed mid-answer), as `fetch` reports
 * them in `error.cause`. DNS failures, TLS errors and HTTP answers are not: retrying will not fix them.
 */
const CONNECTION_FAILURES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/** The code of a connection failure in a `fetch` error (or its cause), else null. */
export function connectionFailureCode(error: unknown): string | null {
  const seen = new Set<unknown>();
  const visit = (e: unknown): string | null => {
    if (typeof e !== 'object' || e === null || seen.has(e)) return null;
    seen.add(e);
    const { code, cause, errors } = e as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string' && CONNECTION_FAILURES.has(code)) return code;
    for (const inner of [cause, ...(Array.isArray(errors) ? errors : [])]) {
      const found = visit(inner);
      if (found) return found;
    }
    return null;
  };
  return visit(error);
}

/**
 * Runs `attempt` until it succeeds, retrying connection failures with backoff while the
 * policy's time lasts; any other error, or the last connection failure, is thrown.
 */
export async function withConnectionRetry<T>(
  attempt: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
): Promise<T> {
  const started = Date.now();
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      const delay = retryDelayMs(retry, policy);
      if (!connectionFailureCode(error) || Date.now() + delay - started > policy.totalMs) throw error;
      await sleep(delay);
    }
  }
}
