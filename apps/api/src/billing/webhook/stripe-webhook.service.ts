import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from '../../common/logger';
import { DATA_SOURCE, LOGGER } from '../../common/tokens';
import { queryRows } from '../../database/query-rows';
import { StripeAdapter } from '../stripe.adapter';
import { PurchaseSettlementService, type EventOutcome, type Settled } from './purchase-settlement.service';
import { toBillingEvent, type BillingEvent } from './stripe-event.mapper';

/** Answer of POST /webhooks/stripe: what the event did (`duplicate`: its id was seen before). */
export type WebhookOutcome = EventOutcome | 'duplicate';

/**
 * Stripe's webhook events: verified on the raw body, each event id recorded once (ids, type, amount
 * and status, never the payload) in the transaction that applies it, so a replay changes nothing.
 */
@Injectable()
export class StripeWebhookService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly stripe: StripeAdapter,
    private readonly settlement: PurchaseSettlementService,
  ) {}

  /** Verifies and applies one delivery; BAD_REQUEST (nothing applied) when its signature does not verify. */
  async receive(rawBody: Buffer, signature: string | undefined): Promise<WebhookOutcome> {
    const event = toBillingEvent(this.stripe.verifyWebhook(rawBody, signature));
    const settled = await this.dataSource.transaction((manager) => this.apply(manager, event));
    const log = { stripeEvent: { id: event.id, type: event.type, outcome: settled.outcome } };
    if (settled.outcome === 'unmatched') this.logger.warn(log, 'Stripe event for no purchase of ours: acknowledged, nothing applied');
    else this.logger.info(log, 'Stripe event');
    if (settled.receiptFor) await this.storeReceipt(settled.receiptFor);
    return settled.outcome;
  }

  private async apply(manager: EntityManager, event: BillingEvent): Promise<Omit<Settled, 'outcome'> & { outcome: WebhookOutcome }> {
    const paymentIntentId = event.family === 'other' ? null : event.paymentIntentId;
    // One payment's events (its session's and its charge's) apply one at a time, so a refund
    // recorded as deferred is never missed by a grant committing at the same moment.
    if (paymentIntentId) {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('stripe-payment:' || $1, 0))`, [paymentIntentId]);
    }
    const recorded = await queryRows<{ id: string }>(
      manager,
      `INSERT INTO stripe_events (id, type, object_id, payment_intent_id, amount, currency, status, outcome)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'received') ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        event.id,
        event.type,
        event.family === 'checkout' ? event.sessionId : event.family === 'other' ? null : event.reference,
        paymentIntentId,
        event.family === 'other' ? null : event.amount,
        event.family === 'other' ? null : event.currency,
        event.family === 'checkout' ? event.paymentStatus : event.family === 'other' ? null : event.status,
      ],
    );
    if (!recorded.length) return { outcome: 'duplicate' };
    const settled: Settled =
      event.family === 'checkout'
        ? await this.settlement.onCheckout(manager, event)
        : event.family === 'reversal'
          ? await this.settlement.onReversal(manager, event)
          : event.family === 'dispute_outcome'
            ? await this.settlement.onDisputeOutcome(manager, event)
            : { outcome: 'ignored' };
    await manager.query('UPDATE stripe_events SET outcome = $2 WHERE id = $1', [event.id, settled.outcome]);
    return settled;
  }

  /**
   * Best effort, after the commit: the purchase is paid whether or not Stripe answers this. Stored only
   * while the purchase still names its buyer: the receipt page shows the payer, and an erasure clears it
   * and the buyer in one statement, so one that commits meanwhile (or while this waits on its row lock)
   * leaves nothing to write.
   */
  private async storeReceipt(target: { purchaseId: string; paymentIntentId: string }): Promise<void> {
    if (!this.stripe.configured) return;
    try {
      const url = await this.stripe.receiptUrl(target.paymentIntentId);
      if (url)
        await this.dataSource.query(
          'UPDATE purchases SET receipt_url = $2 WHERE id = $1 AND receipt_url IS NULL AND created_by_user_id IS NOT NULL',
          [target.purchaseId, url],
        );
    } catch (error) {
      this.logger.warn({ purchaseId: target.purchaseId, err: error }, 'could not read the receipt URL from Stripe');
    }
  }
}
