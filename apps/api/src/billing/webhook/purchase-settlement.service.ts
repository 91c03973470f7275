import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CreditsService } from '../../credits/credits.service';
import { queryRows } from '../../database/query-rows';
import { PurchaseEntity } from '../entities/purchase.entity';
import { GRANTED_STATUSES, PurchaseStatus, STATUS_RANK } from '../entities/purchase-status';
import type { CheckoutEvent, ReversalEvent } from './stripe-event.mapper';

/**
 * What an event did: applied (credits or status changed), recorded (kept, nothing to do yet),
 * ignored (already done: a replay under another event id, a late event), deferred (a refund or
 * dispute of a payment not granted yet: applied when it is), unmatched (no purchase of ours).
 */
export type EventOutcome = 'applied' | 'recorded' | 'ignored' | 'deferred' | 'unmatched';

export interface Settled {
  outcome: EventOutcome;
  /** A paid purchase whose receipt URL is not known yet. */
  receiptFor?: { purchaseId: string; paymentIntentId: string };
}

/**
 * Applies Checkout and charge events to purchases and the ledger, inside the webhook's transaction,
 * with the purchase row locked. Whatever order and however often events arrive, the end state is the
 * same: the grant is keyed to the Checkout Session (PURCHASE, reference = session id), a paid pack is
 * taken back at most once (PAYMENT_REVERSAL, reference = charge or dispute id), statuses only move forward.
 */
@Injectable()
export class PurchaseSettlementService {
  constructor(private readonly credits: CreditsService) {}

  async onCheckout(manager: EntityManager, event: CheckoutEvent): Promise<Settled> {
    const purchase = await this.lockPurchase(manager, { checkoutSessionId: event.sessionId });
    if (!purchase) return { outcome: 'unmatched' };
    if (event.paymentIntentId && !purchase.paymentIntentId) {
      purchase.paymentIntentId = event.paymentIntentId;
      await manager.getRepository(PurchaseEntity).update(purchase.id, { paymentIntentId: event.paymentIntentId });
    }
    if (event.action === 'async_failed') {
      return { outcome: (await this.advance(manager, purchase, PurchaseStatus.FAILED)) ? 'applied' : 'ignored' };
    }
    const paid = event.action === 'async_succeeded' || event.paymentStatus === 'paid';
    if (!paid) return { outcome: 'recorded' };

    const granted = await this.credits.apply(
      {
        teamId: purchase.teamId,
        kind: 'PURCHASE',
        amountQuarters: purchase.creditsQuarters,
        reference: purchase.checkoutSessionId,
        actorUserId: purchase.createdByUserId,
      },
      manager,
    );
    const advanced = await this.advance(manager, purchase, PurchaseStatus.PAID);
    const reversed = await this.applyDeferredReversals(manager, purchase);
    const receiptFor =
      purchase.paymentIntentId && !purchase.receiptUrl ? { purchaseId: purchase.id, paymentIntentId: purchase.paymentIntentId } : undefined;
    return { outcome: granted.applied || advanced || reversed ? 'applied' : 'ignored', receiptFor };
  }

  async onReversal(manager: EntityManager, event: ReversalEvent): Promise<Settled> {
    const purchase = event.paymentIntentId ? await this.lockPurchase(manager, { paymentIntentId: event.paymentIntentId }) : null;
    if (!event.takesCreditsBack) return { outcome: 'recorded' };
    // Not granted yet (or the payment's session not completed yet): taken back when the grant happens.
    if (!purchase || !GRANTED_STATUSES.includes(purchase.status)) return { outcome: event.paymentIntentId ? 'deferred' : 'unmatched' };
    return { outcome: (await this.reverse(manager, purchase, event.action, event.reference)) ? 'applied' : 'ignored' };
  }

  /** Refunds and disputes recorded before the purchase was granted. */
  private async applyDeferredReversals(manager: EntityManager, purchase: PurchaseEntity): Promise<boolean> {
    if (!purchase.paymentIntentId) return false;
    const waiting = await queryRows<{ id: string; type: string; reference: string }>(
      manager,
      `SELECT id, type, object_id AS reference FROM stripe_events
        WHERE payment_intent_id = $1 AND outcome = 'deferred' ORDER BY received_at, id`,
      [purchase.paymentIntentId],
    );
    let applied = false;
    for (const event of waiting) {
      const done = await this.reverse(manager, purchase, event.type === 'charge.refunded' ? 'refunded' : 'disputed', event.reference);
      await manager.query('UPDATE stripe_events SET outcome = $2 WHERE id = $1', [event.id, done ? 'applied' : 'ignored']);
      applied ||= done;
    }
    return applied;
  }

  /** Takes a paid pack's credits back, once (a refunded charge that is also disputed is not taken twice). */
  private async reverse(manager: EntityManager, purchase: PurchaseEntity, action: ReversalEvent['action'], reference: string) {
    if (purchase.status !== PurchaseStatus.PAID) return false;
    await this.credits.apply(
      { teamId: purchase.teamId, kind: 'PAYMENT_REVERSAL', amountQuarters: -purchase.creditsQuarters, reference, actorUserId: null },
      manager,
    );
    return this.advance(manager, purchase, action === 'refunded' ? PurchaseStatus.REFUNDED : PurchaseStatus.DISPUTED);
  }

  /** Moves the status forward only (see STATUS_RANK); false when it already is there or beyond. */
  private async advance(manager: EntityManager, purchase: PurchaseEntity, status: PurchaseStatus): Promise<boolean> {
    if (STATUS_RANK[status] <= STATUS_RANK[purchase.status]) return false;
    purchase.status = status;
    await manager.getRepository(PurchaseEntity).update(purchase.id, { status });
    return true;
  }

  private lockPurchase(manager: EntityManager, where: { checkoutSessionId: string } | { paymentIntentId: string }) {
    return manager.getRepository(PurchaseEntity).findOne({ where, lock: { mode: 'pessimistic_write' } });
  }
}
