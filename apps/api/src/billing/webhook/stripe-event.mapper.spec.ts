import type Stripe from 'stripe';
import { toBillingEvent } from './stripe-event.mapper';

const anEvent = (type: string, object: Record<string, unknown>) => ({ id: 'evt_1', type, data: { object } }) as unknown as Stripe.Event;

describe('toBillingEvent', () => {
  it('reads Checkout Session events without the customer details', () => {
    const session = {
      id: 'cs_1',
      payment_intent: 'pi_1',
      payment_status: 'paid',
      amount_total: 1000,
      currency: 'usd',
      customer_details: { email: 'payer@example.com', name: 'Pat' },
    };
    const mapped = toBillingEvent(anEvent('checkout.session.completed', session));
    expect(mapped).toEqual({
      family: 'checkout',
      id: 'evt_1',
      type: 'checkout.session.completed',
      action: 'completed',
      sessionId: 'cs_1',
      paymentIntentId: 'pi_1',
      paymentStatus: 'paid',
      amount: 1000,
      currency: 'usd',
    });
    expect(JSON.stringify(mapped)).not.toContain('payer@example.com');
    expect(toBillingEvent(anEvent('checkout.session.async_payment_succeeded', session))).toMatchObject({ action: 'async_succeeded' });
    expect(toBillingEvent(anEvent('checkout.session.async_payment_failed', { ...session, payment_intent: { id: 'pi_2' } }))).toMatchObject({
      action: 'async_failed',
      paymentIntentId: 'pi_2',
    });
  });

  it('reads full and partial refunds and disputes as reversals keyed by the charge or dispute id', () => {
    const charge = { id: 'ch_1', payment_intent: 'pi_1', amount: 1000, amount_refunded: 1000, refunded: true, currency: 'usd' };
    expect(toBillingEvent(anEvent('charge.refunded', charge))).toMatchObject({
      family: 'reversal',
      action: 'refunded',
      reference: 'ch_1',
      paymentIntentId: 'pi_1',
      amount: 1000,
      status: 'refunded',
      takesCreditsBack: true,
    });
    expect(toBillingEvent(anEvent('charge.refunded', { ...charge, amount_refunded: 300, refunded: false }))).toMatchObject({
      status: 'partially_refunded',
      takesCreditsBack: false,
    });
    const dispute = { id: 'dp_1', charge: 'ch_1', payment_intent: 'pi_1', amount: 1000, currency: 'usd', status: 'needs_response' };
    expect(toBillingEvent(anEvent('charge.dispute.created', dispute))).toMatchObject({
      family: 'reversal',
      action: 'disputed',
      reference: 'dp_1',
      paymentIntentId: 'pi_1',
      takesCreditsBack: true,
    });
  });

  it('takes a dispute’s credits back only when the money is withdrawn: a chargeback, funds_withdrawn or an escalation, never an inquiry', () => {
    const dispute = { id: 'dp_1', charge: 'ch_1', payment_intent: 'pi_1', amount: 1000, currency: 'usd' };
    const takesBack = (type: string, status: string) => toBillingEvent(anEvent(type, { ...dispute, status }));
    for (const type of ['charge.dispute.created', 'charge.dispute.updated']) {
      // An inquiry (no money withdrawn), a chargeback stopped before it was filed, or one already over: recorded only.
      for (const status of ['warning_needs_response', 'warning_under_review', 'warning_closed', 'prevented', 'won', 'something_new']) {
        expect([type, takesBack(type, status)]).toEqual([
          type,
          {
            family: 'reversal',
            id: 'evt_1',
            type,
            action: 'disputed',
            reference: 'dp_1',
            paymentIntentId: 'pi_1',
            amount: 1000,
            currency: 'usd',
            status,
            takesCreditsBack: false,
          },
        ]);
      }
      // A chargeback: created as one, or an inquiry escalated to one (the same dispute id).
      for (const status of ['needs_response', 'under_review', 'lost', 'appeal_needs_response', 'appeal_under_review']) {
        expect([type, status, takesBack(type, status)]).toMatchObject([
          type,
          status,
          { action: 'disputed', reference: 'dp_1', takesCreditsBack: true },
        ]);
      }
    }
    // Stripe's own word that the money left: whatever the status says.
    for (const status of ['needs_response', 'warning_needs_response']) {
      expect(takesBack('charge.dispute.funds_withdrawn', status)).toMatchObject({
        family: 'reversal',
        action: 'disputed',
        reference: 'dp_1',
        paymentIntentId: 'pi_1',
        status,
        takesCreditsBack: true,
      });
    }
    for (const type of ['charge.dispute.updated', 'charge.dispute.funds_withdrawn']) {
      expect(toBillingEvent(anEvent(type, {}))).toMatchObject({ family: 'other' });
    }
  });

  it('reads the end of a dispute keyed by the dispute id: only a won one gives the credits back', () => {
    const dispute = { id: 'dp_1', charge: 'ch_1', payment_intent: { id: 'pi_1' }, amount: 1000, currency: 'usd', status: 'won' };
    for (const type of ['charge.dispute.closed', 'charge.dispute.funds_reinstated']) {
      expect(toBillingEvent(anEvent(type, dispute))).toEqual({
        family: 'dispute_outcome',
        id: 'evt_1',
        type,
        reference: 'dp_1',
        paymentIntentId: 'pi_1',
        amount: 1000,
        currency: 'usd',
        status: 'won',
        restoresCredits: true,
      });
    }
    // Funds reinstated on a lost dispute (the refunded part of a partially refunded payment) give nothing back.
    for (const status of ['lost', 'warning_closed'])
      expect(toBillingEvent(anEvent('charge.dispute.funds_reinstated', { ...dispute, status }))).toMatchObject({
        status,
        restoresCredits: false,
      });
    // An inquiry closed without a chargeback gives back what an earlier version took back for it, if anything.
    expect(toBillingEvent(anEvent('charge.dispute.closed', { ...dispute, status: 'warning_closed' }))).toMatchObject({
      family: 'dispute_outcome',
      status: 'warning_closed',
      restoresCredits: true,
    });
    // Closed as lost: the money is gone, a take-back keyed by the dispute id (for an endpoint that missed the withdrawal).
    expect(toBillingEvent(anEvent('charge.dispute.closed', { ...dispute, status: 'lost' }))).toEqual({
      family: 'reversal',
      id: 'evt_1',
      type: 'charge.dispute.closed',
      action: 'disputed',
      reference: 'dp_1',
      paymentIntentId: 'pi_1',
      amount: 1000,
      currency: 'usd',
      status: 'lost',
      takesCreditsBack: true,
    });
    expect(toBillingEvent(anEvent('charge.dispute.closed', {}))).toMatchObject({ family: 'other' });
  });

  it('leaves other events, and events without an object id, alone', () => {
    expect(toBillingEvent(anEvent('customer.created', { id: 'cus_1' }))).toEqual({
      family: 'other',
      id: 'evt_1',
      type: 'customer.created',
    });
    expect(toBillingEvent(anEvent('checkout.session.completed', {}))).toEqual({
      family: 'other',
      id: 'evt_1',
      type: 'checkout.session.completed',
    });
    expect(toBillingEvent(anEvent('charge.refunded', {}))).toMatchObject({ family: 'other' });
  });
});
