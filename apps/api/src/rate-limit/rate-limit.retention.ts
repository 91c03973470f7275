import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../common/tokens';
import { queryRows } from '../database/query-rows';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { SweepRegistry, type SweepContext } from '../privacy/retention/sweep.registry';
import { countedBatches } from '../privacy/retention/sweep-batches';

/**
 * Sweep task `rate-limit-buckets`: every bucket's window (and every backoff's longest delay) is
 * RATE_LIMIT_WINDOW_SECONDS, so a bucket whose window started longer ago than that counts
 * nothing any more and is deleted. Keys are already pseudonymous hashes.
 */
@Injectable()
export class RateLimitRetention implements OnModuleInit {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly registry: SweepRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register({ name: 'rate-limit-buckets', run: (c) => this.sweep(c) });
  }

  async sweep(context: SweepContext): Promise<Record<string, number>> {
    return countedBatches(context, 'rateLimitBuckets', async (limit) => {
      const rows = await queryRows(
        this.dataSource.manager,
        `DELETE FROM rate_limit_buckets WHERE key IN (
           SELECT key FROM rate_limit_buckets WHERE window_started_at <= $1::timestamptz - make_interval(secs => $2)
            LIMIT $3 FOR UPDATE SKIP LOCKED)
         RETURNING key`,
        [context.now, this.config.RATE_LIMIT_WINDOW_SECONDS, limit],
      );
      return rows.length;
    });
  }
}
