import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { rateLimited } from '../common/errors/app-error';
import { DATA_SOURCE } from '../common/tokens';
import { queryRows } from '../database/query-rows';

/** Growing delays after repeated failures: none for the first `freeFailures`, then `baseSeconds` doubling up to `maxSeconds`. */
export interface BackoffPolicy {
  freeFailures: number;
  baseSeconds: number;
  maxSeconds: number;
}

/** The delay that follows the `failures`-th failure (0 while failures are still free). */
export function backoffDelaySeconds(failures: number, policy: BackoffPolicy): number {
  if (failures < policy.freeFailures) return 0;
  return Math.min(policy.maxSeconds, policy.baseSeconds * 2 ** Math.min(failures - policy.freeFailures, 20));
}

/**
 * Counters kept in PostgreSQL, so every API replica shares them.
 * Keys must already be pseudonymous (hashes), never raw emails or IP addresses.
 */
@Injectable()
export class RateLimiter {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Fixed window: counts one hit; throws RATE_LIMITED once `limit` hits happened in the current window. */
  async hit(key: string, limit: number, windowSeconds: number): Promise<void> {
    const rows: { hits: number; retry_after: string }[] = await this.dataSource.query(
      `INSERT INTO rate_limit_buckets (key, window_started_at, hits) VALUES ($1, now(), 1)
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN rate_limit_buckets.window_started_at <= now() - make_interval(secs => $2) THEN 1 ELSE rate_limit_buckets.hits + 1 END,
         window_started_at = CASE WHEN rate_limit_buckets.window_started_at <= now() - make_interval(secs => $2) THEN now() ELSE rate_limit_buckets.window_started_at END
       RETURNING hits, EXTRACT(EPOCH FROM (window_started_at + make_interval(secs => $2) - now())) AS retry_after`,
      [key, windowSeconds],
    );
    const { hits, retry_after } = rows[0];
    if (hits > limit) throw rateLimited(Math.max(1, Math.ceil(Number(retry_after))));
  }

  /**
   * Backoff: counts one attempt of `key` as a failure before it is judged, and throws RATE_LIMITED
   * while the delay after the failures counted before it runs (that attempt still counts, so
   * hammering only makes the delay grow). The caller clears the count when the attempt succeeds
   * (`reset`). Failures older than `maxSeconds` are forgotten.
   *
   * One transaction holds the key's row from the read to the write, so parallel attempts are counted
   * one after another and never more than `freeFailures` of them pass. (For backoff keys
   * `window_started_at` is the time of the last counted attempt.)
   */
  async countAttempt(key: string, policy: BackoffPolicy): Promise<void> {
    const hits = await this.dataSource.transaction(async (manager) => {
      // A new key reads as failures long forgotten; an existing one is locked as it stands.
      const [before] = await queryRows<{ hits: number; forgotten: boolean; delayed: boolean }>(
        manager,
        `INSERT INTO rate_limit_buckets (key, window_started_at, hits) VALUES ($1, '-infinity', 0)
         ON CONFLICT (key) DO UPDATE SET hits = rate_limit_buckets.hits
         RETURNING hits,
           window_started_at <= now() - make_interval(secs => $4) AS forgotten,
           hits >= $2 AND window_started_at > now() - make_interval(secs => LEAST($4::float8, $3::float8 * power(2, LEAST(hits - $2, 20)))) AS delayed`,
        [key, policy.freeFailures, policy.baseSeconds, policy.maxSeconds],
      );
      const counted = before.forgotten ? 1 : before.hits + 1;
      await manager.query('UPDATE rate_limit_buckets SET hits = $2, window_started_at = now() WHERE key = $1', [key, counted]);
      return before.delayed ? counted : 0;
    });
    if (hits) throw rateLimited(backoffDelaySeconds(hits, policy));
  }

  async reset(key: string): Promise<void> {
    await this.dataSource.query('DELETE FROM rate_limit_buckets WHERE key = $1', [key]);
  }
}
