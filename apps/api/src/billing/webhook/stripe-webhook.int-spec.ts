import { randomUUID } from 'node:crypto';
import { aCheckoutSession, aPaidPurchase, purchasesOf, stripeEnv } from '../../../testing/billing-client';
import { aSignedInUser, aTeamWithMembers, type SignedInUser } from '../../../testing/builders';
import { startFakeStripe, type FakeStripe } from '../../../testing/fake-stripe.server';
import { REMOVE } from '../../../testing/jobs-client';
import { ledgerProblems, ledgerTotals } from '../../../testing/ledger-checks';
import {
  aCheckoutEvent,
  aDisputeEvent,
  aDisputeFollowUpEvent,
  aDisputeOutcomeEvent,
  aPaymentIntentId,
  aRefundEvent,
  PAYER,
  postWebhook,
  type StripeTestEvent,
} from '../../../testing/stripe-webhooks';
import { startTestApi, type TestApi } from '../../../testing/test-api';
import { aSubjectImage } from '../../../testing/test-images';
import { recordSubscription } from '../../../testing/ws-recorder';
import { CreditsService } from '../../credits/credits.service';
import { SubjectDataService } from '../../privacy/personal-data/subject-data.service';

/** Quarter-credits of the test packs (TEST_PACKS): `one` is 1 credit, `two` 2 credits. */
const ONE = 4;
const TWO = 8;

/**
 * POST /webhooks/stripe against the real API: payloads signed with the SDK's test helper so the
 * real verification runs, the purchases made through the fake Stripe, credits read from the ledger.
 */
describe('Stripe webhooks', () => {
  let fake: FakeStripe;
  let t: TestApi;
  let owner: SignedInUser;
  let imageBase64: string;
  const teams: string[] = [];

  beforeAll(async () => {
    fake = await startFakeStripe();
    t = await startTestApi({ ROLE: 'api', ...stripeEnv(fake) }, { logLevel: 'info' });
    owner = await aSignedInUser(t, 'webhooks');
    imageBase64 = (await aSubjectImage('png', 48, 48)).toString('base64');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  /** A new team of the owner, remembered for the ledger check at the end. */
  async function aTeam(): Promise<string> {
    const teamId = await aTeamWithMembers(t, owner, [], `Webhooks ${teams.length}`);
    teams.push(teamId);
    return teamId;
  }
  const deliver = async (event: StripeTestEvent) => {
    const res = await postWebhook(t.url, event);
    expect([event.type, res.status]).toEqual([event.type, 200]);
    return ((await res.json()) as { outcome: string }).outcome;
  };
  const statusOf = async (teamId: string) => (await purchasesOf(owner.client, teamId)).map((p) => p.status);
  const credits = (teamId: string) => ledgerTotals(t, teamId);
  const ledgerRows = (teamId: string) =>
    t.sql<{ kind: string; amount: number; reference: string }>(
      'SELECT kind, amount_quarters AS amount, reference FROM credit_ledger WHERE team_id = $1 ORDER BY created_at, id',
      [teamId],
    );
  /** A job costing 0.25 credit (a 48×48 image); its error code, or null when it was accepted. */
  const submitJob = async (teamId: string) =>
    (await owner.client.gql(REMOVE, { i: { teamId, imageBase64, idempotencyKey: randomUUID() } })).errors?.[0]?.extensions?.code ?? null;

  it('credits a paid Checkout Session once, marks it PAID and keeps the receipt URL', async () => {
    const teamId = await aTeam();
    const { session, paymentIntent } = await aPaidPurchase(t, owner.client, fake, teamId, 'two');
    expect(await credits(teamId)).toEqual({ availableQuarters: TWO, debtQuarters: 0, ledgerSumQuarters: TWO });
    expect(await ledgerRows(teamId)).toEqual([{ kind: 'PURCHASE', amount: TWO, reference: session.id }]);
    const [purchase] = await purchasesOf(owner.client, teamId);
    expect(purchase).toMatchObject({ pack: 'two', credits: 2, status: 'PAID', receiptUrl: fake.receiptUrlOf(paymentIntent) });
  });

  it('applies the same event delivered 10 times (at once) exactly once', async () => {
    const teamId = await aTeam();
    const session = await aCheckoutSession(owner.client, fake, teamId);
    const event = aCheckoutEvent('checkout.session.completed', session, aPaymentIntentId(), 'paid');
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => deliver(event)));
    expect(outcomes.sort()).toEqual(['applied', ...Array(9).fill('duplicate')]);
    expect(await credits(teamId)).toEqual({ availableQuarters: ONE, debtQuarters: 0, ledgerSumQuarters: ONE });
    expect(await t.sql('SELECT id FROM stripe_events WHERE id = $1', [event.id])).toHaveLength(1);
  });

  it('grants once per session whatever the order of completed and async_payment_succeeded', async () => {
    // completed (paid) and async_payment_succeeded for one session: one grant, under either order.
    for (const order of [
      ['completed', 'succeeded'],
      ['succeeded', 'completed'],
    ]) {
      const teamId = await aTeam();
      const session = await aCheckoutSession(owner.client, fake, teamId);
      const pi = aPaymentIntentId();
      const events = {
        completed: aCheckoutEvent('checkout.session.completed', session, pi, 'paid'),
        succeeded: aCheckoutEvent('checkout.session.async_payment_succeeded', session, pi),
      };
      for (const name of order) await deliver(events[name as keyof typeof events]);
      expect([order, await credits(teamId), await statusOf(teamId)]).toEqual([
        order,
        { availableQuarters: ONE, debtQuarters: 0, ledgerSumQuarters: ONE },
        ['PAID'],
      ]);
    }
  });

  it('handles a delayed payment: completed (unpaid) grants nothing, async success grants, a late unpaid completed changes nothing', async () => {
    const teamId = await aTeam();
    const session = await aCheckoutSession(owner.client, fake, teamId);
    const pi = aPaymentIntentId();
    const unpaid = aCheckoutEvent('checkout.session.completed', session, pi, 'unpaid');
    expect(await deliver(unpaid)).toBe('recorded');
    expect([await credits(teamId), await statusOf(teamId)]).toEqual([
      { availableQuarters: 0, debtQuarters: 0, ledgerSumQuarters: 0 },
      ['PENDING'],
    ]);
    expect(await deliver(aCheckoutEvent('checkout.session.async_payment_succeeded', session, pi))).toBe('applied');
    // Stripe retries the first delivery late, under a new event id too: nothing moves backwards.
    expect(await deliver(unpaid)).toBe('duplicate');
    expect(await deliver(aCheckoutEvent('checkout.session.completed', session, pi, 'unpaid'))).toBe('recorded');
    expect(await deliver(aCheckoutEvent('checkout.session.async_payment_failed', session, pi))).toBe('ignored');
    expect([await credits(teamId), await statusOf(teamId)]).toEqual([
      { availableQuarters: ONE, debtQuarters: 0, ledgerSumQuarters: ONE },
      ['PAID'],
    ]);
  });

  it('grants a delayed payment whose buyer was erased meanwhile, without bringing back the receipt link (a page that shows the payer)', async () => {
    const buyer = await aSignedInUser(t, 'erased-buyer');
    const teamId = await aTeamWithMembers(t, owner, [{ user: buyer, role: 'ADMIN' }], `Webhooks ${teams.length}`);
    teams.push(teamId);
    const session = await aCheckoutSession(buyer.client, fake, teamId);
    const pi = aPaymentIntentId();
    expect(await deliver(aCheckoutEvent('checkout.session.completed', session, pi, 'unpaid'))).toBe('recorded');
    const subjects = t.api.app.get(SubjectDataService, { strict: false });
    const receipt = await subjects.erase((await subjects.resolveSubject(buyer.id))!);
    expect(receipt.counts['billing.purchasesUnlinked']).toBe(1);

    // Days later the debit succeeds, and Stripe retries the event: the team gets its credits, the receipt stays gone.
    const succeeded = aCheckoutEvent('checkout.session.async_payment_succeeded', session, pi);
    expect(await deliver(succeeded)).toBe('applied');
    expect(await deliver(aCheckoutEvent('checkout.session.async_payment_succeeded', session, pi))).toBe('ignored');
    expect(await credits(teamId)).toEqual({ availableQuarters: ONE, debtQuarters: 0, ledgerSumQuarters: ONE });
    expect(
      await t.sql('SELECT status, created_by_user_id, receipt_url FROM purchases WHERE checkout_session_id = $1', [session.id]),
    ).toEqual([{ status: 'PAID', created_by_user_id: null, receipt_url: null }]);
    expect((await purchasesOf(owner.client, teamId)).map((p) => p.receiptUrl)).toEqual([null]);
  });

  it('marks a failed delayed payment FAILED and grants nothing, whatever arrives after', async () => {
    const teamId = await aTeam();
    const session = await aCheckoutSession(owner.client, fake, teamId);
    const pi = aPaymentIntentId();
    expect(await deliver(aCheckoutEvent('checkout.session.async_payment_failed', session, pi))).toBe('applied');
    expect(await deliver(aCheckoutEvent('checkout.session.completed', session, pi, 'unpaid'))).toBe('recorded');
    expect([await credits(teamId), await statusOf(teamId)]).toEqual([
      { availableQuarters: 0, debtQuarters: 0, ledgerSumQuarters: 0 },
      ['FAILED'],
    ]);
  });

  it('marks an abandoned checkout EXPIRED when Stripe expires its session: nothing granted, and nothing moves it after', async () => {
    // Regression (review): every abandoned checkout stayed "Waiting for payment" for good; Stripe's expiry was ignored.
    const teamId = await aTeam();
    const session = await aCheckoutSession(owner.client, fake, teamId);
    expect(await statusOf(teamId)).toEqual(['PENDING']);
    const expired = aCheckoutEvent('checkout.session.expired', session, null);
    expect(await deliver(expired)).toBe('applied');
    expect(await deliver(expired)).toBe('duplicate');
    expect(await deliver(aCheckoutEvent('checkout.session.expired', session, null))).toBe('ignored');
    expect(await deliver(aCheckoutEvent('checkout.session.async_payment_failed', session, aPaymentIntentId()))).toBe('ignored');
    expect([await credits(teamId), await statusOf(teamId)]).toEqual([
      { availableQuarters: 0, debtQuarters: 0, ledgerSumQuarters: 0 },
      ['EXPIRED'],
    ]);
  });

  it('refuses a forged, altered, unsigned or stale delivery with 400 and applies nothing', async () => {
    const teamId = await aTeam();
    const session = await aCheckoutSession(owner.client, fake, teamId);
    const event = aCheckoutEvent('checkout.session.completed', session, aPaymentIntentId(), 'paid');
    const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
    const altered = JSON.stringify({ ...event, data: { object: { ...event.data.object, amount_total: 1 } } });
    const attempts = {
      forged: await postWebhook(t.url, event, { secret: 'whsec_someone_else' }),
      altered: await postWebhook(t.url, event, { body: altered }),
      unsigned: await postWebhook(t.url, event, { unsigned: true }),
      stale: await postWebhook(t.url, event, { timestamp: tenMinutesAgo }),
    };
    for (const [name, res] of Object.entries(attempts)) {
      expect([name, res.status, ((await res.json()) as { error: { code: string } }).error.code]).toEqual([name, 400, 'BAD_REQUEST']);
    }
    expect(await t.sql('SELECT id FROM stripe_events WHERE id = $1', [event.id])).toEqual([]);
    expect([await credits(teamId), await statusOf(teamId)]).toEqual([
      { availableQuarters: 0, debtQuarters: 0, ledgerSumQuarters: 0 },
      ['PENDING'],
    ]);
    // The genuine delivery still works afterwards.
    expect(await deliver(event)).toBe('applied');
  });

  it('refuses a delivery signed with a timestamp more than the tolerance ahead, like a stale one; a little clock skew is fine', async () => {
    const teamId = await aTeam();
    const session = await aCheckoutSession(owner.client, fake, teamId);
    const event = aCheckoutEvent('checkout.session.completed', session, aPaymentIntentId(), 'paid');
    const now = Math.floor(Date.now() / 1000);
    for (const ahead of [301, 600, 365 * 86_400]) {
      const res = await postWebhook(t.url, event, { timestamp: now + ahead });
      expect([ahead, res.status, ((await res.json()) as { error?: { code: string } }).error?.code]).toEqual([ahead, 400, 'BAD_REQUEST']);
    }
    expect(await t.sql('SELECT id FROM stripe_events WHERE id = $1', [event.id])).toEqual([]);
    expect([await credits(teamId), await statusOf(teamId)]).toEqual([
      { availableQuarters: 0, debtQuarters: 0, ledgerSumQuarters: 0 },
      ['PENDING'],
    ]);
    // A sender's clock a minute ahead of ours is within the tolerance.
    const res = await postWebhook(t.url, event, { timestamp: now + 60 });
    expect([res.status, ((await res.json()) as { outcome: string }).outcome]).toEqual([200, 'applied']);
  });

  it('acknowledges an event for an unknown session or team, applies nothing, and logs it without the payer', async () => {
    const ledgerBefore = await t.sql('SELECT id FROM credit_ledger ORDER BY id');
    const unknownTeam = { id: `cs_test_unknown_${randomUUID()}`, amount_total: 100, currency: 'usd', client_reference_id: randomUUID() };
    const events = [
      aCheckoutEvent(
        'checkout.session.completed',
        { ...unknownTeam, metadata: { teamId: unknownTeam.client_reference_id, packId: 'one' } },
        'pi_x',
        'paid',
      ),
      aCheckoutEvent(
        'checkout.session.completed',
        { ...unknownTeam, id: 'cs_test_other', client_reference_id: teams[0], metadata: {} },
        'pi_y',
        'paid',
      ),
    ];
    for (const event of events) expect(await deliver(event)).toBe('unmatched');
    expect(await t.sql('SELECT id FROM credit_ledger ORDER BY id')).toEqual(ledgerBefore);
    const logged = t.logs().filter((l) => events.some((e) => (l.stripeEvent as { id?: string } | undefined)?.id === e.id));
    expect(logged.map((l) => [l.level, (l.stripeEvent as { outcome: string }).outcome])).toEqual([
      [40, 'unmatched'],
      [40, 'unmatched'],
    ]);
    expect(JSON.stringify(t.logs())).not.toContain(PAYER.email);
  });

  it('takes a refunded pack back after its credits were spent: the shortfall is debt and the next job is refused', async () => {
    const teamId = await aTeam();
    const { paymentIntent } = await aPaidPurchase(t, owner.client, fake, teamId); // 1 credit
    expect(await submitJob(teamId)).toBeNull(); // 0.25 spent
    expect(await submitJob(teamId)).toBeNull(); // 0.5 spent
    const refund = aRefundEvent(paymentIntent, 100);
    expect(await deliver(refund)).toBe('applied');
    expect(await credits(teamId)).toEqual({ availableQuarters: 0, debtQuarters: 2, ledgerSumQuarters: -2 });
    expect(await statusOf(teamId)).toEqual(['REFUNDED']);
    expect((await ledgerRows(teamId)).at(-1)).toEqual({
      kind: 'PAYMENT_REVERSAL',
      amount: -ONE,
      reference: (refund.data.object as { id: string }).id,
    });
    expect(await submitJob(teamId)).toBe('INSUFFICIENT_CREDITS');

    // A new purchase pays the debt first.
    await aPaidPurchase(t, owner.client, fake, teamId, 'two');
    expect(await credits(teamId)).toEqual({ availableQuarters: TWO - 2, debtQuarters: 0, ledgerSumQuarters: TWO - 2 });
    expect(await submitJob(teamId)).toBeNull();
  });

  it('takes a disputed pack back the same way, and a refund of the same charge does not take it twice', async () => {
    const teamId = await aTeam();
    const { paymentIntent } = await aPaidPurchase(t, owner.client, fake, teamId);
    for (let i = 0; i < 4; i++) expect(await submitJob(teamId)).toBeNull(); // all 4 quarters spent
    const dispute = aDisputeEvent(paymentIntent, 100);
    expect(await deliver(dispute)).toBe('applied');
    expect(await deliver(aRefundEvent(paymentIntent, 100, 100, (dispute.data.object as { charge: string }).charge))).toBe('ignored');
    expect(await credits(teamId)).toEqual({ availableQuarters: 0, debtQuarters: ONE, ledgerSumQuarters: -ONE });
    expect(await statusOf(teamId)).toEqual(['DISPUTED']);
    expect(await submitJob(teamId)).toBe('INSUFFICIENT_CREDITS');
  });

  it('gives a won dispute’s credits back once (closed won, funds_reinstated, replays), marks it DISPUTE_WON and publishes the balance', async () => {
    const teamId = await aTeam();
    const { paymentIntent } = await aPaidPurchase(t, owner.client, fake, teamId); // 1 credit
    expect(await submitJob(teamId)).toBeNull();
    expect(await submitJob(teamId)).toBeNull(); // 0.5 spent
    const dispute = aDisputeEvent(paymentIntent, 100);
    const disputeId = (dispute.data.object as { id: string }).id;
    expect(await deliver(dispute)).toBe('applied');
    expect(await credits(teamId)).toEqual({ availableQuarters: 0, debtQuarters: 2, ledgerSumQuarters: -2 });
    const socket = owner.client.ws();
    try {
      const balances = recordSubscription<{ creditBalanceChanged: { available: number; debt: number } }>(
        socket,
        `subscription($t: ID!) { creditBalanceChanged(teamId: $t) { available debt } }`,
        { t: teamId },
      );
      expect((await balances.nextEvent()).creditBalanceChanged).toEqual({ available: 0, debt: 0.5 });

      const won = aDisputeOutcomeEvent('charge.dispute.closed', dispute, 'won');
      expect(await deliver(won)).toBe('applied');
      // The credits pay the debt first, as any credits coming in do; the change is published.
      expect((await balances.nextEvent()).creditBalanceChanged).toEqual({ available: 0.5, debt: 0 });
    } finally {
      await socket.dispose();
    }
    expect(await deliver(aDisputeOutcomeEvent('charge.dispute.funds_reinstated', dispute, 'won'))).toBe('ignored');
    expect(await deliver(aDisputeOutcomeEvent('charge.dispute.closed', dispute, 'won'))).toBe('ignored');
    expect(await deliver(dispute)).toBe('duplicate');
    expect(await deliver({ ...dispute, id: `${dispute.id}_resent` })).toBe('ignored');
    expect(await credits(teamId)).toEqual({ availableQuarters: 2, debtQuarters: 0, ledgerSumQuarters: 2 });
    expect((await ledgerRows(teamId)).slice(-2)).toEqual([
      { kind: 'PAYMENT_REVERSAL', amount: -ONE, reference: disputeId },
      { kind: 'PAYMENT_REINSTATEMENT', amount: ONE, reference: disputeId },
    ]);
    expect(await statusOf(teamId)).toEqual(['DISPUTE_WON']);
    expect(await submitJob(teamId)).toBeNull();

    // Refunded after the win: the pack is taken back again (the refund's own reversal).
    expect(await deliver(aRefundEvent(paymentIntent, 100, 100, (dispute.data.object as { charge: string }).charge))).toBe('applied');
    expect(await credits(teamId)).toEqual({ availableQuarters: 0, debtQuarters: 3, ledgerSumQuarters: -3 });
    expect(await statusOf(teamId)).toEqual(['REFUNDED']);
    expect(await deliver(aDisputeOutcomeEvent('charge.dispute.funds_reinstated', dispute, 'won'))).toBe('ignored');
    expect(await credits(teamId)).toEqual({ availableQuarters: 0, debtQuarters: 3, ledgerSumQuarters: -3 });
  });

  it('gives back on funds_reinstated alone, and changes nothing more for a lost dispute', async () => {
    const reinstated = await aTeam();
    const bought = await aPaidPurchase(t, owner.client, fake, reinstated);
    const dispute = aDisputeEvent(bought.paymentIntent, 100);
    await deliver(dispute);
    expect(await deliver(aDisputeOutcomeEvent('charge.dispute.funds_reinstated', dispute, 'won'))).toBe('applied');
    expect([await credits(reinstated), await statusOf(reinstated)]).toEqual([
      { availableQuarters: ONE, debtQuarters: 0, ledgerSumQuarters: ONE },
      ['DISPUTE_WON'],
    ]);

    const lost = await aTeam();
    const other = await aPaidPurchase(t, owner.client, fake, lost);
    const lostDispute = aDisputeEvent(other.paymentIntent, 100);
    await deliver(lostDispute);
    // Already taken back when the dispute was created: its loss takes nothing more.
    expect(await deliver(aDisputeOutcomeEvent('charge.dispute.closed', lostDispute, 'lost'))).toBe('ignored');
    // Stripe reinstates the refunded part of a partially refunded payment even when the dispute is lost.
    expect(await deliver(aDisputeOutcomeEvent('charge.dispute.funds_reinstated', lostDispute, 'lost'))).toBe('recorded');
    expect([await credits(lost), await statusOf(lost)]).toEqual([
      { availableQuarters: 0, debtQuarters: 0, ledgerSumQuarters: 0 },
      ['DISPUTED'],
    ]);
  });

  it('never gives back what a dispute did not take: the pack refunded before or during the dispute', async () => {
    // Refunded, then disputed (the reversal is the refund's), then won.
    const refundedFirst = await aTeam();
    const a = await aPaidPurchase(t, owner.client, fake, refundedFirst);
    const aDispute = aDisputeEvent(a.paymentIntent, 100);
    expect(await deliver(aRefundEvent(a.paymentIntent, 100, 100, (aDispute.data.object as { charge: string }).charge))).toBe('applied');
    expect(await deliver(aDispute)).toBe('ignored');
    expect(await deliver(aDisputeOutcomeEvent('charge.dispute.closed', aDispute, 'won'))).toBe('ignored');
    expect(await deliver(aDisputeOutcomeEvent('charge.dispute.funds_reinstated', aDispute, 'won'))).toBe('ignored');
    expect([await credits(refundedFirst), await statusOf(refundedFirst)]).toEqual([
      { availableQuarters: 0, debtQuarters: 0, ledgerSumQuarters: 0 },
      ['REFUNDED'],
    ]);

    // Disputed, reported refunded in full as well, then won: the payer has the money back.
    const refundedDuring = await aTeam();
    const b = await aPaidPurchase(t, owner.client, fake, refundedDuring);
    const bDispute = aDisputeEvent(b.paymentIntent, 100);
    expect(await deliver(bDispute)).toBe('applied');
    expect(await deliver(aRefundEvent(b.paymentIntent, 100, 100, (bDispute.data.object as { charge: string }).charge))).toBe('ignored');
    expect(await deliver(aDisputeOutcomeEvent('charge.dispute.closed', bDispute, 'won'))).toBe('ignored');
    expect([await credits(refundedDuring), await statusOf(refundedDuring)]).toEqual([
      { availableQuarters: 0, debtQuarters: 0, ledgerSumQuarters: 0 },
      ['DISPUTED'],
    ]);
  });

  it('reaches the same end state when a dispute and its win arrive before the grant, or the win before the dispute', async () => {
    // Both before the session completes: kept, then taken back and given back right after the grant.
    const early = await aTeam();
    const session = await aCheckoutSession(owner.client, fake, early);
    const pi = aPaymentIntentId();
    const dispute = aDisputeEvent(pi, 100);
    const won = aDisputeOutcomeEvent('charge.dispute.closed', dispute, 'won');
    expect(await deliver(won)).toBe('deferred');
    expect(await deliver(dispute)).toBe('deferred');
    expect(await credits(early)).toEqual({ availableQuarters: 0, debtQuarters: 0, ledgerSumQuarters: 0 });
    expect(await deliver(aCheckoutEvent('checkout.session.completed', session, pi, 'paid'))).toBe('applied');
    for (const event of [won, dispute, aDisputeOutcomeEvent('charge.dispute.funds_reinstated', dispute, 'won')]) await deliver(event);
    expect([await credits(early), await statusOf(early)]).toEqual([
      { availableQuarters: ONE, debtQuarters: 0, ledgerSumQuarters: ONE },
      ['DISPUTE_WON'],
    ]);
    expect((await ledgerRows(early)).map((r) => `${r.kind} ${r.amount}`).sort()).toEqual([
      `PAYMENT_REINSTATEMENT ${ONE}`,
      `PAYMENT_REVERSAL ${-ONE}`,
      `PURCHASE ${ONE}`,
    ]);
    expect(await t.sql(`SELECT outcome FROM stripe_events WHERE payment_intent_id = $1 AND outcome = 'deferred'`, [pi])).toEqual([]);

    // Granted, then the win before the dispute itself.
    const late = await aTeam();
    const bought = await aPaidPurchase(t, owner.client, fake, late);
    const lateDispute = aDisputeEvent(bought.paymentIntent, 100);
    expect(await deliver(aDisputeOutcomeEvent('charge.dispute.closed', lateDispute, 'won'))).toBe('deferred');
    expect(await credits(late)).toEqual({ availableQuarters: ONE, debtQuarters: 0, ledgerSumQuarters: ONE });
    expect(await deliver(lateDispute)).toBe('applied');
    expect([await credits(late), await statusOf(late)]).toEqual([
      { availableQuarters: ONE, debtQuarters: 0, ledgerSumQuarters: ONE },
      ['DISPUTE_WON'],
    ]);
  });

  it('records an inquiry without taking anything back: one closed without a chargeback leaves the credits, a refund still takes them', async () => {
    const teamId = await aTeam();
    const { paymentIntent } = await aPaidPurchase(t, owner.client, fake, teamId); // 1 credit
    const inquiry = aDisputeEvent(paymentIntent, 100, undefined, 'warning_needs_response');
    expect(await deliver(inquiry)).toBe('recorded');
    expect(await deliver(aDisputeFollowUpEvent('charge.dispute.updated', inquiry, 'warning_under_review'))).toBe('recorded');
    expect([await credits(teamId), await statusOf(teamId)]).toEqual([
      { availableQuarters: ONE, debtQuarters: 0, ledgerSumQuarters: ONE },
      ['PAID'],
    ]);
    expect(await submitJob(teamId)).toBeNull();
    expect(await deliver(aDisputeFollowUpEvent('charge.dispute.closed', inquiry, 'warning_closed'))).toBe('recorded');
    expect([await credits(teamId), await statusOf(teamId)]).toEqual([
      { availableQuarters: ONE - 1, debtQuarters: 0, ledgerSumQuarters: ONE - 1 },
      ['PAID'],
    ]);
    expect((await ledgerRows(teamId)).map((r) => r.kind)).toEqual(['PURCHASE', 'JOB_CHARGE']);
    expect(
      await t.sql(`SELECT type, status, outcome FROM stripe_events WHERE object_id = $1 ORDER BY received_at`, [
        (inquiry.data.object as { id: string }).id,
      ]),
    ).toEqual([
      { type: 'charge.dispute.created', status: 'warning_needs_response', outcome: 'recorded' },
      { type: 'charge.dispute.updated', status: 'warning_under_review', outcome: 'recorded' },
      { type: 'charge.dispute.closed', status: 'warning_closed', outcome: 'recorded' },
    ]);

    // An inquiry answered with a full refund: the refund takes the pack back (Stripe closes the inquiry), once.
    const refunded = await aTeam();
    const b = await aPaidPurchase(t, owner.client, fake, refunded);
    const bInquiry = aDisputeEvent(b.paymentIntent, 100, undefined, 'warning_needs_response');
    expect(await deliver(bInquiry)).toBe('recorded');
    expect(await deliver(aRefundEvent(b.paymentIntent, 100, 100, (bInquiry.data.object as { charge: string }).charge))).toBe('applied');
    expect(await deliver(aDisputeFollowUpEvent('charge.dispute.closed', bInquiry, 'warning_closed'))).toBe('recorded');
    expect([await credits(refunded), await statusOf(refunded)]).toEqual([
      { availableQuarters: 0, debtQuarters: 0, ledgerSumQuarters: 0 },
      ['REFUNDED'],
    ]);
  });

  it('takes an inquiry’s credits back once when it escalates and the money is withdrawn, whatever the order, and a win gives them back', async () => {
    // Stripe's events of an escalation: the dispute updated to a chargeback status, and funds_withdrawn; under either order.
    for (const order of [
      ['escalated', 'withdrawn'],
      ['withdrawn', 'escalated'],
    ]) {
      const teamId = await aTeam();
      const { paymentIntent } = await aPaidPurchase(t, owner.client, fake, teamId); // 1 credit
      expect(await submitJob(teamId)).toBeNull(); // 0.25 spent
      const inquiry = aDisputeEvent(paymentIntent, 100, undefined, 'warning_needs_response');
      const disputeId = (inquiry.data.object as { id: string }).id;
      expect(await deliver(inquiry)).toBe('recorded');
      const events = {
        escalated: aDisputeFollowUpEvent('charge.dispute.updated', inquiry, 'needs_response'),
        withdrawn: aDisputeFollowUpEvent('charge.dispute.funds_withdrawn', inquiry, 'needs_response'),
      };
      const outcomes = [];
      for (const name of order) outcomes.push(await deliver(events[name as keyof typeof events]));
      // Replays, under the same and under new event ids, and the evidence's own update, take nothing more.
      for (const event of Object.values(events)) {
        outcomes.push(await deliver(event));
        outcomes.push(await deliver({ ...event, id: `${event.id}_resent` }));
      }
      outcomes.push(await deliver(aDisputeFollowUpEvent('charge.dispute.updated', inquiry, 'under_review')));
      expect([order, outcomes]).toEqual([order, ['applied', 'ignored', 'duplicate', 'ignored', 'duplicate', 'ignored', 'ignored']]);
      expect([await credits(teamId), await statusOf(teamId)]).toEqual([
        { availableQuarters: 0, debtQuarters: 1, ledgerSumQuarters: -1 },
        ['DISPUTED'],
      ]);
      expect((await ledgerRows(teamId)).filter((r) => r.kind === 'PAYMENT_REVERSAL')).toEqual([
        { kind: 'PAYMENT_REVERSAL', amount: -ONE, reference: disputeId },
      ]);
      expect(await submitJob(teamId)).toBe('INSUFFICIENT_CREDITS');

      // Won: what the escalation took comes back, once.
      expect(await deliver(aDisputeOutcomeEvent('charge.dispute.closed', inquiry, 'won'))).toBe('applied');
      expect(await deliver(aDisputeOutcomeEvent('charge.dispute.funds_reinstated', inquiry, 'won'))).toBe('ignored');
      expect(await deliver({ ...events.withdrawn, id: `${events.withdrawn.id}_late` })).toBe('ignored');
      expect([await credits(teamId), await statusOf(teamId)]).toEqual([
        { availableQuarters: ONE - 1, debtQuarters: 0, ledgerSumQuarters: ONE - 1 },
        ['DISPUTE_WON'],
      ]);
    }

    // A chargeback from the start: created with a chargeback status takes back; its funds_withdrawn takes nothing more.
    const direct = await aTeam();
    const bought = await aPaidPurchase(t, owner.client, fake, direct);
    const chargeback = aDisputeEvent(bought.paymentIntent, 100);
    expect(await deliver(aDisputeFollowUpEvent('charge.dispute.funds_withdrawn', chargeback, 'needs_response'))).toBe('applied');
    expect(await deliver(chargeback)).toBe('ignored');
    expect([await credits(direct), await statusOf(direct)]).toEqual([
      { availableQuarters: 0, debtQuarters: 0, ledgerSumQuarters: 0 },
      ['DISPUTED'],
    ]);
  });

  it('keeps an escalated inquiry’s withdrawal that arrives before the grant (or its win before it) and applies each once after', async () => {
    const teamId = await aTeam();
    const session = await aCheckoutSession(owner.client, fake, teamId);
    const pi = aPaymentIntentId();
    const inquiry = aDisputeEvent(pi, 100, undefined, 'warning_needs_response');
    const escalated = aDisputeFollowUpEvent('charge.dispute.updated', inquiry, 'needs_response');
    const withdrawn = aDisputeFollowUpEvent('charge.dispute.funds_withdrawn', inquiry, 'needs_response');
    const won = aDisputeOutcomeEvent('charge.dispute.closed', inquiry, 'won');
    // The inquiry itself takes nothing, so nothing waits for it.
    expect(await deliver(inquiry)).toBe('recorded');
    expect(await deliver(withdrawn)).toBe('deferred');
    expect(await deliver(escalated)).toBe('deferred');
    expect(await credits(teamId)).toEqual({ availableQuarters: 0, debtQuarters: 0, ledgerSumQuarters: 0 });
    expect(await deliver(aCheckoutEvent('checkout.session.completed', session, pi, 'paid'))).toBe('applied');
    expect([await credits(teamId), await statusOf(teamId)]).toEqual([
      { availableQuarters: 0, debtQuarters: 0, ledgerSumQuarters: 0 },
      ['DISPUTED'],
    ]);
    expect(
      await t.sql(
        `SELECT type, outcome FROM stripe_events WHERE payment_intent_id = $1 AND type LIKE 'charge.dispute.%' ORDER BY received_at`,
        [pi],
      ),
    ).toEqual([
      { type: 'charge.dispute.created', outcome: 'recorded' },
      { type: 'charge.dispute.funds_withdrawn', outcome: 'applied' },
      { type: 'charge.dispute.updated', outcome: 'ignored' },
    ]);
    expect(await deliver(won)).toBe('applied');
    for (const event of [inquiry, withdrawn, escalated, won]) await deliver({ ...event, id: `${event.id}_resent` });
    expect([await credits(teamId), await statusOf(teamId)]).toEqual([
      { availableQuarters: ONE, debtQuarters: 0, ledgerSumQuarters: ONE },
      ['DISPUTE_WON'],
    ]);
    expect((await ledgerRows(teamId)).map((r) => `${r.kind} ${r.amount}`).sort()).toEqual([
      `PAYMENT_REINSTATEMENT ${ONE}`,
      `PAYMENT_REVERSAL ${-ONE}`,
      `PURCHASE ${ONE}`,
    ]);

    // Granted, then the win before the withdrawal: kept, and given back right after the take-back.
    const late = await aTeam();
    const bought = await aPaidPurchase(t, owner.client, fake, late);
    const lateInquiry = aDisputeEvent(bought.paymentIntent, 100, undefined, 'warning_under_review');
    expect(await deliver(lateInquiry)).toBe('recorded');
    expect(await deliver(aDisputeOutcomeEvent('charge.dispute.closed', lateInquiry, 'won'))).toBe('deferred');
    expect(await deliver(aDisputeFollowUpEvent('charge.dispute.funds_withdrawn', lateInquiry, 'under_review'))).toBe('applied');
    expect([await credits(late), await statusOf(late)]).toEqual([
      { availableQuarters: ONE, debtQuarters: 0, ledgerSumQuarters: ONE },
      ['DISPUTE_WON'],
    ]);

    // An inquiry before the grant that never escalates: the pack is granted and stays.
    const calm = await aTeam();
    const calmSession = await aCheckoutSession(owner.client, fake, calm);
    const calmPi = aPaymentIntentId();
    const calmInquiry = aDisputeEvent(calmPi, 100, undefined, 'warning_needs_response');
    expect(await deliver(calmInquiry)).toBe('recorded');
    expect(await deliver(aDisputeFollowUpEvent('charge.dispute.closed', calmInquiry, 'warning_closed'))).toBe('recorded');
    expect(await deliver(aCheckoutEvent('checkout.session.completed', calmSession, calmPi, 'paid'))).toBe('applied');
    expect([await credits(calm), await statusOf(calm)]).toEqual([
      { availableQuarters: ONE, debtQuarters: 0, ledgerSumQuarters: ONE },
      ['PAID'],
    ]);
  });

  it('takes an inquiry’s credits back when it closes lost, for an endpoint that saw no escalation (granted, or before the grant), once', async () => {
    // An endpoint subscribed to created and closed only: the inquiry, then its loss.
    const teamId = await aTeam();
    const { paymentIntent } = await aPaidPurchase(t, owner.client, fake, teamId); // 1 credit
    const inquiry = aDisputeEvent(paymentIntent, 100, undefined, 'warning_needs_response');
    const disputeId = (inquiry.data.object as { id: string }).id;
    expect(await deliver(inquiry)).toBe('recorded');
    const lost = aDisputeOutcomeEvent('charge.dispute.closed', inquiry, 'lost');
    expect(await deliver(lost)).toBe('applied');
    expect(await deliver({ ...lost, id: `${lost.id}_resent` })).toBe('ignored');
    // Funds reinstated on a lost dispute (a partially refunded payment's refunded part) give nothing back.
    expect(await deliver(aDisputeOutcomeEvent('charge.dispute.funds_reinstated', inquiry, 'lost'))).toBe('recorded');
    expect([await credits(teamId), await statusOf(teamId)]).toEqual([
      { availableQuarters: 0, debtQuarters: 0, ledgerSumQuarters: 0 },
      ['DISPUTED'],
    ]);
    expect((await ledgerRows(teamId)).filter((r) => r.kind === 'PAYMENT_REVERSAL')).toEqual([
      { kind: 'PAYMENT_REVERSAL', amount: -ONE, reference: disputeId },
    ]);

    // Lost before the grant: kept, and taken back (not given back) once the pack is granted.
    const early = await aTeam();
    const session = await aCheckoutSession(owner.client, fake, early);
    const pi = aPaymentIntentId();
    const earlyInquiry = aDisputeEvent(pi, 100, undefined, 'warning_needs_response');
    expect(await deliver(earlyInquiry)).toBe('recorded');
    expect(await deliver(aDisputeOutcomeEvent('charge.dispute.closed', earlyInquiry, 'lost'))).toBe('deferred');
    expect(await deliver(aCheckoutEvent('checkout.session.completed', session, pi, 'paid'))).toBe('applied');
    expect([await credits(early), await statusOf(early)]).toEqual([
      { availableQuarters: 0, debtQuarters: 0, ledgerSumQuarters: 0 },
      ['DISPUTED'],
    ]);
    expect(
      await t.sql(`SELECT type, status, outcome FROM stripe_events WHERE payment_intent_id = $1 AND type LIKE 'charge.dispute.%'`, [pi]),
    ).toEqual([
      { type: 'charge.dispute.created', status: 'warning_needs_response', outcome: 'recorded' },
      { type: 'charge.dispute.closed', status: 'lost', outcome: 'applied' },
    ]);
  });

  it('undoes what an earlier version did with inquiries: its take-back comes back when the inquiry closes, its deferred inquiry is not taken back at the grant', async () => {
    // Before inquiries were recorded only, charge.dispute.created took the pack back whatever its status: PAYMENT_REVERSAL
    // by the dispute id and DISPUTED (or, before the grant, a deferred row applied at the grant).
    const teamId = await aTeam();
    const { paymentIntent } = await aPaidPurchase(t, owner.client, fake, teamId); // 1 credit
    const inquiry = aDisputeEvent(paymentIntent, 100, undefined, 'warning_needs_response');
    const disputeId = (inquiry.data.object as { id: string }).id;
    await t.api.app
      .get(CreditsService, { strict: false })
      .apply({ teamId, kind: 'PAYMENT_REVERSAL', amountQuarters: -ONE, reference: disputeId, actorUserId: null });
    await t.sql(`UPDATE purchases SET status = 'DISPUTED' WHERE team_id = $1`, [teamId]);
    const closed = aDisputeFollowUpEvent('charge.dispute.closed', inquiry, 'warning_closed');
    expect(await deliver(closed)).toBe('applied');
    expect(await deliver({ ...closed, id: `${closed.id}_resent` })).toBe('ignored');
    expect([await credits(teamId), await statusOf(teamId)]).toEqual([
      { availableQuarters: ONE, debtQuarters: 0, ledgerSumQuarters: ONE },
      ['DISPUTE_WON'],
    ]);
    expect((await ledgerRows(teamId)).map((r) => `${r.kind} ${r.amount}`)).toEqual([
      `PURCHASE ${ONE}`,
      `PAYMENT_REVERSAL ${-ONE}`,
      `PAYMENT_REINSTATEMENT ${ONE}`,
    ]);

    // A deferred inquiry row the earlier version left before the grant: recorded at the grant, nothing taken.
    const early = await aTeam();
    const session = await aCheckoutSession(owner.client, fake, early);
    const pi = aPaymentIntentId();
    const earlyInquiry = aDisputeEvent(pi, 100, undefined, 'warning_needs_response');
    await t.sql(
      `INSERT INTO stripe_events (id, type, object_id, payment_intent_id, amount, currency, status, outcome)
       VALUES ($1, 'charge.dispute.created', $2, $3, 100, 'usd', 'warning_needs_response', 'deferred')`,
      [earlyInquiry.id, (earlyInquiry.data.object as { id: string }).id, pi],
    );
    expect(await deliver(aCheckoutEvent('checkout.session.completed', session, pi, 'paid'))).toBe('applied');
    expect([await credits(early), await statusOf(early)]).toEqual([
      { availableQuarters: ONE, debtQuarters: 0, ledgerSumQuarters: ONE },
      ['PAID'],
    ]);
    expect(await t.sql(`SELECT outcome FROM stripe_events WHERE id = $1`, [earlyInquiry.id])).toEqual([{ outcome: 'recorded' }]);
  });

  it('reaches the same end state when the refund arrives before the session completes, and replays change nothing', async () => {
    const teamId = await aTeam();
    const session = await aCheckoutSession(owner.client, fake, teamId);
    const pi = aPaymentIntentId();
    const refund = aRefundEvent(pi, 100);
    const completed = aCheckoutEvent('checkout.session.completed', session, pi, 'paid');
    expect(await deliver(refund)).toBe('deferred');
    expect(await credits(teamId)).toEqual({ availableQuarters: 0, debtQuarters: 0, ledgerSumQuarters: 0 });
    expect(await deliver(completed)).toBe('applied');
    for (const event of [refund, completed, aCheckoutEvent('checkout.session.async_payment_succeeded', session, pi)]) await deliver(event);
    expect(await credits(teamId)).toEqual({ availableQuarters: 0, debtQuarters: 0, ledgerSumQuarters: 0 });
    // Both rows come from one transaction (one timestamp): compare them as a set.
    expect((await ledgerRows(teamId)).map((r) => `${r.kind} ${r.amount}`).sort()).toEqual([`PAYMENT_REVERSAL ${-ONE}`, `PURCHASE ${ONE}`]);
    expect(await statusOf(teamId)).toEqual(['REFUNDED']);
  });

  it('records a partial refund without taking credits back', async () => {
    const teamId = await aTeam();
    const { paymentIntent } = await aPaidPurchase(t, owner.client, fake, teamId);
    expect(await deliver(aRefundEvent(paymentIntent, 100, 40))).toBe('recorded');
    expect([await credits(teamId), await statusOf(teamId)]).toEqual([
      { availableQuarters: ONE, debtQuarters: 0, ledgerSumQuarters: ONE },
      ['PAID'],
    ]);
  });

  it('acknowledges events it does not handle', async () => {
    const other: StripeTestEvent = { ...aRefundEvent(aPaymentIntentId(), 100), type: 'customer.created' };
    expect(await deliver(other)).toBe('ignored');
  });

  it('keeps ids, types, amounts and statuses of events, never the payer', async () => {
    const rows = await t.sql<Record<string, unknown>>('SELECT * FROM stripe_events');
    expect(rows.length).toBeGreaterThan(10);
    expect(Object.keys(rows[0]).sort()).toEqual([
      'amount',
      'currency',
      'id',
      'object_id',
      'outcome',
      'payment_intent_id',
      'received_at',
      'status',
      'type',
    ]);
    const dump = JSON.stringify(await t.sql('SELECT row_to_json(p) FROM purchases p')) + JSON.stringify(rows);
    expect(dump).not.toContain(PAYER.email);
    expect(dump).not.toContain(PAYER.name);
  });

  it('leaves every team’s balance equal to its ledger’s sum', async () => {
    expect(teams.length).toBeGreaterThan(8);
    for (const teamId of teams) expect(await ledgerProblems(t, teamId)).toEqual([]);
  });
});
