import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../common/tokens';
import { queryRows } from '../database/query-rows';
import { StripeAdapter } from './stripe.adapter';

/** One Stripe customer per team, created on its first purchase and kept (team id as its only metadata). */
@Injectable()
export class BillingCustomersService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly stripe: StripeAdapter,
  ) {}

  /**
   * The team's Stripe customer id, created once: concurrent first purchases of one team wait on a
   * transaction-scoped advisory lock, so only one of them asks Stripe (which also dedupes by idempotency key).
   */
  async customerIdFor(teamId: string): Promise<string> {
    const known = await this.find(teamId);
    if (known) return known;
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('billing-customer:' || $1, 0))`, [teamId]);
      const existing = await this.find(teamId, manager);
      if (existing) return existing;
      const customerId = await this.stripe.createCustomer(teamId);
      await manager.query('INSERT INTO billing_customers (team_id, stripe_customer_id) VALUES ($1, $2)', [teamId, customerId]);
      return customerId;
    });
  }

  private async find(teamId: string, manager = this.dataSource.manager): Promise<string | null> {
    const rows = await queryRows<{ id: string }>(manager, 'SELECT stripe_customer_id AS id FROM billing_customers WHERE team_id = $1', [
      teamId,
    ]);
    return rows[0]?.id ?? null;
  }
}
