import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CreditsService } from '../../credits/credits.service';
import { queryRows } from '../../database/query-rows';
import { PurchaseEntity } from '../entities/purchase.entity';
import { GRANTED_STATUSES, NEXT_STATUSES, PurchaseStatus } from '../entities/purchase-status';
import {
  isDisputeOutcome,
  eventTakesCreditsBack,
  type CheckoutEvent,
  type DisputeOutcomeEvent,
  type ReversalEvent,
} from './stripe-event.mapper';

/**
 * What an event did: applied (credits or status changed), recorded (kept, nothing to do yet),
 * ignored (already done: a replay under another event id, a late event), deferred (a refund or
 * dispute of a payment not granted yet, or a won dispute not taken back yet: applied when it is),
 * unmatched (no purchase of ours).
 */
export type EventOutcome = 'applied' | 'recorded' | 'ignored' | 'deferred' | 'unmatched';

export interface Settled {
  outcome: EventOutcome;
  /** A paid purchase whose receipt URL is not known yet and whose buyer is known (not erased). */
  receiptFor?: { purchaseId: string; paymentIntentId: string };
}

/**
 * Applies Checkout and charge events to purchases and the ledger, inside the webhook's transaction,
 * with the purchase row locked. Whatever order and however often events arrive, the end state is the
 * same: the grant is keyed to the Checkout Session (PURCHASE, reference = session id), a paid pack is
 * taken back at most once (PAYMENT_REVERSAL, reference = charge or dispute id; a dispute's only once its money was
 * withdrawn, so an inquiry takes nothing and its escalation takes once, by whichever event comes first), a won dispute gives back
 * what it took, once (PAYMENT_REINSTATEMENT, reference = dispute id), statuses only move forward (NEXT_STATUSES).
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
    if (event.action === 'async_failed' || event.action === 'expired') {
      const status = event.action === 'expired' ? PurchaseStatus.EXPIRED : PurchaseStatus.FAILED;
      return { outcome: (await this.advance(manager, purchase, status)) ? 'applied' : 'ignored' };
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
    const reversed = await this.applyDeferred(manager, purchase);
    // A receipt link shows the payer: kept only while the buyer is known (an erasure unlinks them and clears it).
    const receiptFor =
      purchase.paymentIntentId && !purchase.receiptUrl && purchase.createdByUserId
        ? { purchaseId: purchase.id, paymentIntentId: purchase.paymentIntentId }
        : undefined;
    return { outcome: granted.applied || advanced || reversed ? 'applied' : 'ignored', receiptFor };
  }

  /** A full refund, or a dispute's money withdrawn: the pack is taken back (once); a partial refund or an inquiry is only recorded. */
  async onReversal(manager: EntityManager, event: ReversalEvent): Promise<Settled> {
    const purchase = event.paymentIntentId ? await this.lockPurchase(manager, { paymentIntentId: event.paymentIntentId }) : null;
    if (!event.takesCreditsBack) return { outcome: 'recorded' };
    // Not granted yet (or the payment's session not completed yet): taken back when the grant happens.
    if (!purchase || !GRANTED_STATUSES.includes(purchase.status)) return { outcome: event.paymentIntentId ? 'deferred' : 'unmatched' };
    if (!(await this.reverse(manager, purchase, event.action, event.reference))) return { outcome: 'ignored' };
    // A dispute's win that arrived before the dispute itself.
    await this.applyDeferred(manager, purchase);
    return { outcome: 'applied' };
  }

  /** A dispute that ended: won, the credits its creation took back come back (once); lost, nothing more changes. */
  async onDisputeOutcome(manager: EntityManager, event: DisputeOutcomeEvent): Promise<Settled> {
    const purchase = event.paymentIntentId ? await this.lockPurchase(manager, { paymentIntentId: event.paymentIntentId }) : null;
    if (!event.restoresCredits) return { outcome: 'recorded' };
    // Only a win waits for its dispute: an inquiry closed took nothing unless an earlier version took it back.
    const won = event.status === 'won';
    if (!event.paymentIntentId) return { outcome: 'unmatched' };
    if (!purchase || !GRANTED_STATUSES.includes(purchase.status)) return { outcome: won ? 'deferred' : 'recorded' };
    return { outcome: await this.reinstate(manager, purchase, event.reference, won) };
  }

  /**
   * Events kept while they could not apply yet: refunds and disputes recorded before the grant, then wins of
   * disputes recorded before the dispute was taken back (so their order of arrival does not matter).
   */
  private async applyDeferred(manager: EntityManager, purchase: PurchaseEntity): Promise<boolean> {
    if (!purchase.paymentIntentId) return false;
    const waiting = await queryRows<{ id: string; type: string; status: string | null; reference: string }>(
      manager,
      `SELECT id, type, status, object_id AS reference FROM stripe_events
        WHERE payment_intent_id = $1 AND outcome = 'deferred' ORDER BY received_at, id`,
      [purchase.paymentIntentId],
    );
    const isOutcome = (event: { type: string; status: string | null }) => isDisputeOutcome(event.type, event.status);
    let applied = false;
    for (const event of [...waiting.filter((e) => !isOutcome(e)), ...waiting.filter(isOutcome)]) {
      const outcome = isOutcome(event)
        ? await this.reinstate(manager, purchase, event.reference, event.status === 'won')
        : !eventTakesCreditsBack(event.type, event.status)
          ? 'recorded'
          : (await this.reverse(manager, purchase, event.type === 'charge.refunded' ? 'refunded' : 'disputed', event.reference))
            ? 'applied'
            : 'ignored';
      if (outcome === 'deferred') continue;
      await manager.query('UPDATE stripe_events SET outcome = $2 WHERE id = $1', [event.id, outcome]);
      applied ||= outcome === 'applied';
    }
    return applied;
  }

  /**
   * Takes a paid pack's credits back, once (a refunded charge that is also disputed is not taken twice);
   * a pack whose dispute was won is paid again, so a refund after the win takes it back too.
   */
  private async reverse(manager: EntityManager, purchase: PurchaseEntity, action: ReversalEvent['action'], reference: string) {
    const status = action === 'refunded' ? PurchaseStatus.REFUNDED : PurchaseStatus.DISPUTED;
    if (!NEXT_STATUSES[purchase.status].includes(status)) return false;
    await this.credits.apply(
      { teamId: purchase.teamId, kind: 'PAYMENT_REVERSAL', amountQuarters: -purchase.creditsQuarters, reference, actorUserId: null },
      manager,
    );
    return this.advance(manager, purchase, status);
  }

  /**
   * Gives back what the dispute `disputeId` took back (its PAYMENT_REVERSAL), once. Nothing when the dispute took
   * nothing (the pack was refunded before it), nor when the payment was fully refunded as well (the payer has the
   * money back). A win (`waitForDispute`) is deferred while the purchase is PAID and the dispute has not arrived yet;
   * an inquiry closed that took nothing is only recorded.
   */
  private async reinstate(
    manager: EntityManager,
    purchase: PurchaseEntity,
    disputeId: string,
    waitForDispute: boolean,
  ): Promise<EventOutcome> {
    const reversal = await this.credits.findEntry('PAYMENT_REVERSAL', disputeId, manager);
    if (!reversal || reversal.teamId !== purchase.teamId)
      return !waitForDispute ? 'recorded' : purchase.status === PurchaseStatus.PAID ? 'deferred' : 'ignored';
    if (await this.fullyRefunded(manager, purchase)) return 'ignored';
    const given = await this.credits.apply(
      {
        teamId: purchase.teamId,
        kind: 'PAYMENT_REINSTATEMENT',
        amountQuarters: -reversal.amountQuarters,
        reference: disputeId,
        actorUserId: null,
      },
      manager,
    );
    const advanced = await this.advance(manager, purchase, PurchaseStatus.DISPUTE_WON);
    return given.applied || advanced ? 'applied' : 'ignored';
  }

  /** Whether Stripe reported this payment refunded in full (whatever we did with that event). */
  private async fullyRefunded(manager: EntityManager, purchase: PurchaseEntity): Promise<boolean> {
    const rows = await queryRows(
      manager,
      `SELECT 1 FROM stripe_events WHERE payment_intent_id = $1 AND type = 'charge.refunded' AND status = 'refunded' LIMIT 1`,
      [purchase.paymentIntentId],
    );
    return rows.length > 0;
  }

  /** Moves the status along NEXT_STATUSES only; false when that is not a move from where it is (already there, or beyond). */
  private async advance(manager: EntityManager, purchase: PurchaseEntity, status: PurchaseStatus): Promise<boolean> {
    if (!NEXT_STATUSES[purchase.status].includes(status)) return false;
    purchase.status = status;
    await manager.getRepository(PurchaseEntity).update(purchase.id, { status });
    return true;
  }

  private lockPurchase(manager: EntityManager, where: { checkoutSessionId: string } | { paymentIntentId: string }) {
    return manager.getRepository(PurchaseEntity).findOne({ where, lock: { mode: 'pessimistic_write' } });
  }
}
