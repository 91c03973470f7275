import { Inject, Injectable } from '@nestjs/common';
import Stripe from 'stripe';
import type { Logger } from '../common/logger';
import { LOGGER } from '../common/tokens';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { badWebhookSignature, billingNotConfigured, billingUnavailable } from './billing.errors';

export interface CheckoutRequest {
  teamId: string;
  packId: string;
  packName: string;
  credits: number;
  amount: number;
  currency: string;
  successUrl: string;
  cancelUrl: string;
  /** Stripe idempotency key: a retried request creates no second session. */
  idempotencyKey: string;
}

/** How long after signing a webhook is accepted (Stripe's default: 5 minutes). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** The `t=` of a Stripe-Signature header, read as the SDK reads it (the last one counts): the time the signature covers. */
function signedAt(header: string): number {
  let timestamp = NaN;
  for (const item of header.split(',')) {
    const [key, value] = item.split('=');
    if (key === 't') timestamp = parseInt(value, 10);
  }
  return timestamp;
}

/** Options that point the SDK at another host (stripe-mock, the tests' fake server). */
export function stripeHostOptions(apiBase: string | undefined): Stripe.StripeConfig {
  if (!apiBase) return {};
  const url = new URL(apiBase);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname, port: url.port || (protocol === 'http' ? 80 : 443), protocol };
}

/**
 * Stripe's HTTP API as billing uses it, through the official SDK: the one place that talks to
 * Stripe. Sends Stripe no personal data (no email, no name): the team id is the only metadata.
 * Stripe's errors become BILLING_UNAVAILABLE here (details logged, never returned).
 */
@Injectable()
export class StripeAdapter {
  private readonly client: Stripe | null;
  private readonly webhookSecret: string | null;

  constructor(
    @Inject(API_CONFIG) config: ApiConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.client = config.STRIPE_SECRET_KEY
      ? new Stripe(config.STRIPE_SECRET_KEY, {
          ...stripeHostOptions(config.STRIPE_API_BASE),
          maxNetworkRetries: 0,
          telemetry: false,
          timeout: 20_000,
        })
      : null;
    this.webhookSecret = config.STRIPE_WEBHOOK_SECRET ?? null;
  }

  get configured(): boolean {
    return this.client !== null;
  }

  get webhooksConfigured(): boolean {
    return this.webhookSecret !== null;
  }

  /**
   * Deletes a customer at Stripe (account erasure of a team customer an earlier version made: billing_customers);
   * one that is already gone counts as deleted.
   */
  async deleteCustomer(customerId: string): Promise<void> {
    await this.call('delete a customer', (stripe) =>
      stripe.customers.del(customerId).catch((error: unknown) => {
        if (error instanceof Stripe.errors.StripeError && error.statusCode === 404) return null;
        throw error;
      }),
    );
  }

  /**
   * A Checkout Session in payment mode for one pack; the payer types their details on Stripe's page. No customer is
   * attached: a team's shared one would keep its first payer's email and prefill it, locked, for every later buyer
   * of the team (Stripe sets a customer's missing email from its first session), and outlive that person's erasure.
   */
  async createCheckoutSession(request: CheckoutRequest): Promise<{ id: string; url: string }> {
    const metadata = { teamId: request.teamId, packId: request.packId };
    const session = await this.call('create a Checkout Session', (stripe) =>
      stripe.checkout.sessions.create(
        {
          mode: 'payment',
          client_reference_id: request.teamId,
          metadata,
          payment_intent_data: { metadata },
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: request.currency,
                unit_amount: request.amount,
                product_data: { name: `${request.credits} Cutout credits (${request.packName})` },
              },
            },
          ],
          success_url: request.successUrl,
          cancel_url: request.cancelUrl,
        },
        { idempotencyKey: request.idempotencyKey },
      ),
    );
    if (!session.url) throw billingUnavailable();
    return { id: session.id, url: session.url };
  }

  /** The receipt URL of a payment intent's charge, or null when there is none (yet). */
  async receiptUrl(paymentIntentId: string): Promise<string | null> {
    const intent = await this.call('read a payment intent', (stripe) =>
      stripe.paymentIntents.retrieve(paymentIntentId, { expand: ['latest_charge'] }),
    );
    const charge = intent.latest_charge;
    return charge && typeof charge === 'object' ? (charge.receipt_url ?? null) : null;
  }

  /**
   * Verifies the signature on the raw body and its timestamp, and parses the event; BAD_REQUEST when it
   * does not verify. The timestamp must lie within the tolerance on both sides of now: the SDK refuses
   * old ones only, so a delivery signed for the future (replayable until then) is refused here.
   */
  verifyWebhook(rawBody: Buffer, signature: string | undefined): Stripe.Event {
    if (!this.webhookSecret) throw billingNotConfigured();
    if (!signature) throw badWebhookSignature();
    const receivedAt = Date.now();
    let event: Stripe.Event;
    try {
      event = Stripe.webhooks.constructEvent(rawBody, signature, this.webhookSecret, WEBHOOK_TOLERANCE_SECONDS, undefined, receivedAt);
    } catch (error) {
      if (error instanceof Stripe.errors.StripeError) throw badWebhookSignature();
      throw error;
    }
    const ahead = signedAt(signature) - Math.floor(receivedAt / 1000);
    if (!Number.isFinite(ahead) || ahead > WEBHOOK_TOLERANCE_SECONDS) throw badWebhookSignature();
    return event;
  }

  private async call<T>(what: string, request: (stripe: Stripe) => Promise<T>): Promise<T> {
    if (!this.client) throw billingNotConfigured();
    try {
      return await request(this.client);
    } catch (error) {
      if (!(error instanceof Stripe.errors.StripeError)) throw error;
      // Type, code and status only: Stripe's messages may quote what was sent.
      this.logger.error(
        { stripe: { type: error.type, code: error.code, statusCode: error.statusCode, requestId: error.requestId } },
        `Stripe refused or failed to ${what}`,
      );
      throw billingUnavailable();
    }
  }
}
