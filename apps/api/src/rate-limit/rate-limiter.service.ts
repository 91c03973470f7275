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
   * Backoff: throws RATE_LIMITED while the delay after the last failure of `key` runs. An attempt
   * made during the delay counts as one more failure, so hammering only makes the delay grow.
   * (For backoff keys `window_started_at` is the time of the last failure.)
   */
  async assertNotDelayed(key: string, policy: BackoffPolicy): Promise<void> {
    const rows = await queryRows<{ hits: number }>(
      this.dataSource.manager,
      `UPDATE rate_limit_buckets SET hits = hits + 1, window_started_at = now()
       WHERE key = $1 AND hits >= $2
         AND window_started_at > now() - make_interval(secs => LEAST($4::float8, $3::float8 * power(2, LEAST(hits - $2, 20))))
       RETURNING hits`,
      [key, policy.freeFailures, policy.baseSeconds, policy.maxSeconds],
    );
    if (rows.length) throw rateLimited(backoffDelaySeconds(rows[0].hits, policy));
  }

  /** Backoff: records one failure of `key`; failures older than `maxSeconds` are forgotten. */
  async recordFailure(key: string, policy: BackoffPolicy): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO rate_limit_buckets (key, window_started_at, hits) VALUES ($1, now(), 1)
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN rate_limit_buckets.window_started_at <= now() - make_interval(secs => $2) THEN 1 ELSE rate_limit_buckets.hits + 1 END,
         window_started_at = now()`,
      [key, policy.maxSeconds],
    );
  }

  async reset(key: string): Promise<void> {
    await this.dataSource.query('DELETE FROM rate_limit_buckets WHERE key = $1', [key]);
  }
}
