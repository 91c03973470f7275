import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import type { FakeCheckoutSession } from './fake-stripe.server';

/** The webhook signing secret the tests' API is started with. */
export const TEST_WEBHOOK_SECRET = 'whsec_cutout_test_secret';

/** What a payer typed on Stripe's page: Stripe puts it in events, we must never keep it. */
export const PAYER = { email: 'payer.private@example.com', name: 'Pat Payer-Private' };

const id = (prefix: string) => `${prefix}_${randomBytes(8).toString('hex')}`;

export interface StripeTestEvent {
  id: string;
  object: 'event';
  type: string;
  api_version: string;
  created: number;
  livemode: false;
  data: { object: Record<string, unknown> };
}

const event = (type: string, object: Record<string, unknown>): StripeTestEvent => ({
  id: id('evt'),
  object: 'event',
  type,
  api_version: Stripe.API_VERSION,
  created: Math.floor(Date.now() / 1000),
  livemode: false,
  data: { object },
});

/** A Checkout Session event as Stripe sends it (with the payer's details, which we must not store). */
export function aCheckoutEvent(
  type:
    | 'checkout.session.completed'
    | 'checkout.session.async_payment_succeeded'
    | 'checkout.session.async_payment_failed'
    | 'checkout.session.expired',
  session: Pick<FakeCheckoutSession, 'id' | 'amount_total' | 'currency' | 'client_reference_id' | 'metadata'>,
  paymentIntent: string | null,
  paymentStatus: 'paid' | 'unpaid' = type === 'checkout.session.async_payment_succeeded' ? 'paid' : 'unpaid',
): StripeTestEvent {
  return event(type, {
    id: session.id,
    object: 'checkout.session',
    mode: 'payment',
    // An expired session was never completed (abandoned, or its 24 hours ran out).
    status: type === 'checkout.session.expired' ? 'expired' : 'complete',
    payment_status: paymentStatus,
    payment_intent: paymentIntent,
    amount_total: session.amount_total,
    currency: session.currency,
    client_reference_id: session.client_reference_id,
    metadata: session.metadata,
    customer_details: { email: PAYER.email, name: PAYER.name, address: { country: 'FR' } },
  });
}

/** `charge.refunded` for a charge of `paymentIntent` (full by default). */
export function aRefundEvent(paymentIntent: string, amount: number, refunded = amount, chargeId = id('ch')): StripeTestEvent {
  return event('charge.refunded', {
    id: chargeId,
    object: 'charge',
    amount,
    amount_refunded: refunded,
    refunded: refunded >= amount,
    currency: 'usd',
    payment_intent: paymentIntent,
    receipt_url: `https://pay.stripe.test/receipts/${chargeId}`,
    billing_details: { email: PAYER.email, name: PAYER.name },
  });
}

/**
 * A dispute's status as Stripe reports it: an inquiry (`warning_…`, no money withdrawn yet), a chargeback
 * (`needs_response`, `under_review`: the money was withdrawn), or its end.
 */
export type DisputeStatus =
  'warning_needs_response' | 'warning_under_review' | 'warning_closed' | 'needs_response' | 'under_review' | 'won' | 'lost' | 'prevented';

/** `charge.dispute.created` for a charge of `paymentIntent`: a chargeback by default, an inquiry with a `warning_…` status. */
export function aDisputeEvent(
  paymentIntent: string,
  amount: number,
  chargeId = id('ch'),
  status: DisputeStatus = 'needs_response',
): StripeTestEvent {
  return event('charge.dispute.created', {
    id: id('dp'),
    object: 'dispute',
    amount,
    currency: 'usd',
    charge: chargeId,
    payment_intent: paymentIntent,
    status,
    reason: 'fraudulent',
  });
}

/**
 * A later event of the dispute of `created` (an `aDisputeEvent`), with the dispute's status at that moment:
 * `charge.dispute.updated` (e.g. an inquiry escalated to a chargeback: `needs_response`),
 * `charge.dispute.funds_withdrawn` (the money was taken from us), `charge.dispute.closed` with the final
 * status, `charge.dispute.funds_reinstated` (the money came back to us).
 */
export function aDisputeFollowUpEvent(
  type: 'charge.dispute.updated' | 'charge.dispute.funds_withdrawn' | 'charge.dispute.closed' | 'charge.dispute.funds_reinstated',
  created: StripeTestEvent,
  status: DisputeStatus,
): StripeTestEvent {
  return event(type, { ...created.data.object, status });
}

/** What Stripe sends when the dispute of `created` ends (see aDisputeFollowUpEvent). */
export function aDisputeOutcomeEvent(
  type: 'charge.dispute.closed' | 'charge.dispute.funds_reinstated',
  created: StripeTestEvent,
  status: 'won' | 'lost' = 'won',
): StripeTestEvent {
  return aDisputeFollowUpEvent(type, created, status);
}

export const aPaymentIntentId = () => id('pi');

export interface PostOptions {
  /** Sign with another secret (a forgery). */
  secret?: string;
  /** Seconds since the epoch written in the signature (a stale delivery). */
  timestamp?: number;
  /** Send these bytes instead of the signed payload (an altered body). */
  body?: string;
  /** Leave the Stripe-Signature header out. */
  unsigned?: boolean;
}

/** POSTs an event to /webhooks/stripe, signed with the SDK's test helper so the real verification runs. */
export async function postWebhook(apiUrl: string, payload: StripeTestEvent | string, options: PostOptions = {}): Promise<Response> {
  const json = typeof payload === 'string' ? payload : JSON.stringify(payload, null, 2);
  const signature = Stripe.webhooks.generateTestHeaderString({
    payload: json,
    secret: options.secret ?? TEST_WEBHOOK_SECRET,
    timestamp: options.timestamp,
  });
  return fetch(`${apiUrl}/webhooks/stripe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(options.unsigned ? {} : { 'stripe-signature': signature }) },
    body: options.body ?? json,
  });
}
