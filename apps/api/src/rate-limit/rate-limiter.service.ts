import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { rateLimited } from '../common/errors/app-error';
import { DATA_SOURCE } from '../common/tokens';

/**
 * Fixed-window counters kept in PostgreSQL, so every API replica shares them.
 * Keys must already be pseudonymous (hashes), never raw emails or IP addresses.
 */
@Injectable()
export class RateLimiter {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Counts one hit; throws RATE_LIMITED once `limit` hits happened in the current window. */
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

  async reset(key: string): Promise<void> {
    await this.dataSource.query('DELETE FROM rate_limit_buckets WHERE key = $1', [key]);
  }
}
