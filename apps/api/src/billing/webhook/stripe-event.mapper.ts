import type Stripe from 'stripe';

/** A Checkout Session event, reduced to what billing uses (no customer details). */
export interface CheckoutEvent {
  family: 'checkout';
  id: string;
  type: string;
  action: 'completed' | 'async_succeeded' | 'async_failed' | 'expired';
  sessionId: string;
  paymentIntentId: string | null;
  /** Stripe's payment_status: `paid`, `unpaid` or `no_payment_required`. */
  paymentStatus: string;
  amount: number | null;
  currency: string | null;
}

/**
 * A refund or dispute of a charge: takes a paid pack's credits back (once). A dispute's events are
 * `charge.dispute.created`, `charge.dispute.updated`, `charge.dispute.funds_withdrawn` and a
 * `charge.dispute.closed` as lost (closesLost).
 */
export interface ReversalEvent {
  family: 'reversal';
  id: string;
  type: string;
  action: 'refunded' | 'disputed';
  /** The charge (refund) or dispute id: the PAYMENT_REVERSAL's ledger reference. */
  reference: string;
  paymentIntentId: string | null;
  amount: number | null;
  currency: string | null;
  /** `refunded` or `partially_refunded` for a refund; the dispute's status. */
  status: string;
  /**
   * The money left: a full refund, or a dispute whose funds were withdrawn (`funds_withdrawn`, or a dispute created,
   * updated or closed with a chargeback status: CHARGEBACK_STATUSES). A partial refund and an inquiry are only recorded.
   */
  takesCreditsBack: boolean;
}

/**
 * The end of a dispute: `charge.dispute.closed`, or `charge.dispute.funds_reinstated` (Stripe gave the money back).
 * A won dispute gives back the credits its creation took (once); any other outcome is only recorded.
 */
export interface DisputeOutcomeEvent {
  family: 'dispute_outcome';
  id: string;
  type: string;
  /** The dispute id: the PAYMENT_REINSTATEMENT's ledger reference (and the PAYMENT_REVERSAL's it undoes). */
  reference: string;
  paymentIntentId: string | null;
  amount: number | null;
  currency: string | null;
  /** The dispute's status: `won`, `lost`, `warning_closed` … */
  status: string;
  /**
   * The dispute was won, or it was an inquiry closed without a chargeback (`charge.dispute.closed`,
   * `warning_closed`): what it took back, if anything, comes back. An inquiry takes nothing today, but one recorded
   * by an earlier version did (it took back every dispute when it was created). Not: funds reinstated on a lost
   * dispute (the refunded part of a partially refunded payment).
   */
  restoresCredits: boolean;
}

export interface OtherEvent {
  family: 'other';
  id: string;
  type: string;
}

export type BillingEvent = CheckoutEvent | ReversalEvent | DisputeOutcomeEvent | OtherEvent;

/**
 * A dispute's statuses once it is a chargeback, that is once Stripe has withdrawn the disputed money: created as one,
 * or an inquiry escalated to one (the same dispute, `charge.dispute.updated`, with `charge.dispute.funds_withdrawn`).
 * Not: an inquiry (`warning_needs_response`, `warning_under_review`, `warning_closed`: no money withdrawn, and
 * `warning_closed` means it ended without a chargeback), `prevented` (stopped before it was filed), `won` (the money is
 * back), or a status Stripe adds later (recorded until we know what it means).
 */
export const CHARGEBACK_STATUSES: readonly string[] = [
  'needs_response',
  'under_review',
  'lost',
  'appeal_needs_response',
  'appeal_under_review',
];

/** The events of a dispute that may take its credits back (ReversalEvent). */
const DISPUTE_REVERSAL_TYPES: readonly string[] = ['charge.dispute.created', 'charge.dispute.updated', 'charge.dispute.funds_withdrawn'];

/** The event types of a dispute's end (a won one is kept as `deferred` while its dispute has not been taken back yet). */
const DISPUTE_OUTCOME_TYPES: readonly string[] = ['charge.dispute.closed', 'charge.dispute.funds_reinstated'];

/**
 * A dispute closed as lost: the money is gone, so it takes the pack back like a withdrawal (once, by the dispute id)
 * for an endpoint that missed the escalation's `updated` / `funds_withdrawn` events. Not `funds_reinstated` with
 * `lost` (Stripe gives back a partially refunded payment's refunded part then: money that came back to us).
 */
const closesLost = (type: string, status: string | null): boolean => type === 'charge.dispute.closed' && status === 'lost';

/**
 * Whether a refund or dispute event of `type` with `status` takes the pack back (ReversalEvent.takesCreditsBack): read
 * from Stripe's event (toBillingEvent), and again from a row stored as `deferred` when its grant comes (an earlier
 * version deferred every dispute, inquiries included: those are recorded now, not taken back).
 */
export const eventTakesCreditsBack = (type: string, status: string | null): boolean =>
  type === 'charge.refunded'
    ? status === 'refunded'
    : type === 'charge.dispute.funds_withdrawn' ||
      ((DISPUTE_REVERSAL_TYPES.includes(type) || closesLost(type, status)) && CHARGEBACK_STATUSES.includes(status ?? ''));

/** Whether a stored event of `type` and `status` is a dispute's end that may give credits back (a lost close is a take-back). */
export const isDisputeOutcome = (type: string, status: string | null): boolean =>
  DISPUTE_OUTCOME_TYPES.includes(type) && !closesLost(type, status);

const idOf = (value: string | { id: string } | null | undefined): string | null =>
  typeof value === 'string' ? value : typeof value?.id === 'string' ? value.id : null;

const CHECKOUT_ACTIONS: Record<string, CheckoutEvent['action']> = {
  'checkout.session.completed': 'completed',
  'checkout.session.async_payment_succeeded': 'async_succeeded',
  'checkout.session.async_payment_failed': 'async_failed',
  'checkout.session.expired': 'expired',
};

/** Turns a verified Stripe event into the few fields billing acts on and records (pure). */
export function toBillingEvent(event: Stripe.Event): BillingEvent {
  const { id, type } = event;
  const checkoutAction = CHECKOUT_ACTIONS[type];
  if (checkoutAction) {
    const session = event.data.object as Stripe.Checkout.Session;
    if (typeof session?.id !== 'string') return { family: 'other', id, type };
    return {
      family: 'checkout',
      id,
      type,
      action: checkoutAction,
      sessionId: session.id,
      paymentIntentId: idOf(session.payment_intent),
      paymentStatus: String(session.payment_status),
      amount: session.amount_total ?? null,
      currency: session.currency ?? null,
    };
  }
  if (type === 'charge.refunded') {
    const charge = event.data.object as Stripe.Charge;
    if (typeof charge?.id !== 'string') return { family: 'other', id, type };
    const status = charge.refunded ? 'refunded' : 'partially_refunded';
    return {
      family: 'reversal',
      id,
      type,
      action: 'refunded',
      reference: charge.id,
      paymentIntentId: idOf(charge.payment_intent),
      amount: charge.amount_refunded ?? null,
      currency: charge.currency ?? null,
      status,
      takesCreditsBack: eventTakesCreditsBack(type, status),
    };
  }
  if (DISPUTE_REVERSAL_TYPES.includes(type) || DISPUTE_OUTCOME_TYPES.includes(type)) {
    const dispute = event.data.object as Stripe.Dispute;
    if (typeof dispute?.id !== 'string') return { family: 'other', id, type };
    const status = String(dispute.status);
    const fields = {
      id,
      type,
      reference: dispute.id,
      paymentIntentId: idOf(dispute.payment_intent),
      amount: dispute.amount ?? null,
      currency: dispute.currency ?? null,
      status,
    };
    if (!isDisputeOutcome(type, status))
      return { family: 'reversal', ...fields, action: 'disputed', takesCreditsBack: eventTakesCreditsBack(type, status) };
    return {
      family: 'dispute_outcome',
      ...fields,
      restoresCredits: status === 'won' || (type === 'charge.dispute.closed' && status === 'warning_closed'),
    };
  }
  return { family: 'other', id, type };
}
