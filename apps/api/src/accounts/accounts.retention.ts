import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../common/tokens';
import { queryRows } from '../database/query-rows';
import { SweepRegistry, type SweepContext } from '../privacy/retention/sweep.registry';
import { countedBatches, heldIds } from '../privacy/retention/sweep-batches';

/**
 * Sweep tasks for sign-in traces: sessions past their expiry or revoked (none is kept once it
 * can no longer sign anyone in), and mailed tokens (verification, reset) expired or used.
 * Rows of users under a legal hold stay.
 */
@Injectable()
export class AccountsRetention implements OnModuleInit {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly registry: SweepRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register({ name: 'sessions', run: (c) => this.sweep(c, 'sessions', 'expires_at <= $1 OR revoked_at IS NOT NULL') });
    this.registry.register({
      name: 'account-tokens',
      run: (c) => this.sweep(c, 'account_tokens', 'expires_at <= $1 OR used_at IS NOT NULL'),
    });
  }

  private async sweep(context: SweepContext, table: 'sessions' | 'account_tokens', expired: string): Promise<Record<string, number>> {
    const { now, heldNow } = context;
    return countedBatches(context, table === 'sessions' ? 'sessions' : 'accountTokens', (limit) =>
      this.dataSource.transaction(async (manager) => {
        const held = await heldNow(manager);
        const rows = await queryRows(
          manager,
          `DELETE FROM ${table} WHERE id IN (
             SELECT id FROM ${table} WHERE (${expired}) AND NOT (user_id = ANY($2::uuid[])) LIMIT $3 FOR UPDATE SKIP LOCKED)
           RETURNING id`,
          [now, heldIds(held.userIds), limit],
        );
        return rows.length;
      }),
    );
  }
}
