import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from '../common/logger';
import { DATA_SOURCE, LOGGER } from '../common/tokens';
import { queryRows } from '../database/query-rows';
import { PersonalDataRegistry, type DataSubject, type ErasureOutcome } from '../privacy/personal-data/personal-data.registry';
import { StripeAdapter } from './stripe.adapter';

/**
 * Billing's part of data-subject requests (source `billing`, erase order 40). Exported: the
 * purchases the person made and those of the teams erased with them. Erased: the purchases
 * keep pack, amount, currency, status and dates (accounting records) but lose who ordered them
 * and the Stripe receipt link (a page that shows the payer), for good: the webhook stores a receipt
 * link only on a purchase that still names its buyer; the Stripe customer of every team
 * erased with them is unlinked, then deleted at Stripe once the erasure commits.
 */
@Injectable()
export class BillingPersonalData implements OnModuleInit {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly registry: PersonalDataRegistry,
    private readonly stripe: StripeAdapter,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      name: 'billing',
      eraseOrder: 40,
      exportFor: async (s) => ({ data: { purchases: await this.purchases(s) } }),
      erase: (s, m) => this.erase(s, m),
    });
  }

  private async purchases(subject: DataSubject) {
    const rows = await queryRows<{ credits: string }>(
      this.dataSource.manager,
      `SELECT id, team_id AS "teamId", pack_id AS "packId", credits_quarters / 4.0 AS credits, amount, currency, status,
              receipt_url AS "receiptUrl", created_at AS "createdAt"
         FROM purchases WHERE created_by_user_id = $1 OR team_id = ANY($2::uuid[]) ORDER BY created_at, id`,
      [subject.userId, [...subject.personalTeamIds]],
    );
    return rows.map((r) => ({ ...r, credits: Number(r.credits) }));
  }

  private async erase(subject: DataSubject, manager: EntityManager): Promise<ErasureOutcome> {
    const teamIds = [...subject.personalTeamIds];
    // The Stripe customers earlier versions made per team: their personal teams', and those of every team they bought
    // for (a team customer keeps its first buyer's email). None is used any more, so deleting one costs nothing.
    // Read before their purchases are unlinked from them below.
    const customers = await queryRows<{ id: string }>(
      manager,
      `DELETE FROM billing_customers
        WHERE team_id = ANY($1::uuid[]) OR team_id IN (SELECT team_id FROM purchases WHERE created_by_user_id = $2)
        RETURNING stripe_customer_id AS id`,
      [teamIds, subject.userId],
    );
    const purchases = await queryRows(
      manager,
      `UPDATE purchases SET created_by_user_id = NULL, receipt_url = NULL, updated_at = now()
        WHERE created_by_user_id = $1 OR team_id = ANY($2::uuid[]) RETURNING id`,
      [subject.userId, teamIds],
    );
    return {
      counts: { purchasesUnlinked: purchases.length, stripeCustomers: customers.length },
      afterCommit: async () => {
        if (!this.stripe.configured) {
          if (customers.length)
            this.logger.warn({ customers: customers.length }, 'billing is off: Stripe customers left to delete by hand');
          return;
        }
        for (const { id } of customers) await this.stripe.deleteCustomer(id);
      },
    };
  }
}
