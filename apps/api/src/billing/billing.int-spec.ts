import { aCheckoutSession, aPaidPurchase, PURCHASE, purchasesOf, stripeEnv } from '../../testing/billing-client';
import { aSignedInUser, aTeamWithMembers, anApiKey, type SignedInUser } from '../../testing/builders';
import { startFakeStripe, type FakeStripe } from '../../testing/fake-stripe.server';
import { aCheckoutEvent, postWebhook } from '../../testing/stripe-webhooks';
import { startTestApi, type TestApi } from '../../testing/test-api';
import { SubjectDataService } from '../privacy/personal-data/subject-data.service';

const PACKS = `{ creditPacks { id name credits amount currency } }`;
const CONFIGURED = `{ billingConfigured }`;
const PURCHASES_PAGE = `query($id: ID!, $first: Int, $after: String) { purchases(teamId: $id, first: $first, after: $after) {
  edges { node { id pack } } pageInfo { hasNextPage endCursor } } }`;

/** purchaseCredits and creditPacks against the real API, with Stripe's HTTP API played by a local fake. */
describe('buying credits (Stripe Checkout)', () => {
  let fake: FakeStripe;
  let t: TestApi;
  let owner: SignedInUser;
  let admin: SignedInUser;
  let member: SignedInUser;
  let teamId: string;

  beforeAll(async () => {
    fake = await startFakeStripe();
    t = await startTestApi({ ROLE: 'api', ...stripeEnv(fake), PUBLIC_URL: 'https://cutout.example.com' });
    [owner, admin, member] = await Promise.all(['owner', 'admin', 'member'].map((n) => aSignedInUser(t, `billing-${n}`)));
    teamId = await aTeamWithMembers(t, owner, [
      { user: admin, role: 'ADMIN' },
      { user: member, role: 'MEMBER' },
    ]);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  const requestsTo = (path: string) => fake.requests.filter((r) => r.path === path);

  it('lists the configured packs to anyone', async () => {
    const { creditPacks } = await t.client().ok(PACKS);
    expect(creditPacks).toEqual([
      { id: 'one', name: 'One', credits: 1, amount: 100, currency: 'usd' },
      { id: 'two', name: 'Two', credits: 2, amount: 180, currency: 'usd' },
      { id: 'big', name: 'Big', credits: 500, amount: 4500, currency: 'eur' },
    ]);
  });

  it('tells anyone, signed in or not, that billing is configured', async () => {
    expect(await t.client().ok(CONFIGURED)).toEqual({ billingConfigured: true });
    expect(await member.client.ok(CONFIGURED)).toEqual({ billingConfigured: true });
  });

  it('lists purchases newest first, a page at a time, without repeats or gaps', async () => {
    const team = await aTeamWithMembers(t, owner, [], 'Newest first');
    const ids: string[] = [];
    for (const pack of ['one', 'two', 'big']) {
      const session = await aCheckoutSession(owner.client, fake, team, pack);
      const [row] = await t.sql<{ id: string }>('SELECT id FROM purchases WHERE checkout_session_id = $1', [session.id]);
      ids.push(row.id);
    }
    const first = (await owner.client.ok(PURCHASES_PAGE, { id: team, first: 2 })).purchases;
    expect(first.edges.map((e: { node: { pack: string } }) => e.node.pack)).toEqual(['big', 'two']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = (await owner.client.ok(PURCHASES_PAGE, { id: team, first: 2, after: first.pageInfo.endCursor })).purchases;
    expect(rest.edges.map((e: { node: { pack: string } }) => e.node.pack)).toEqual(['one']);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    expect([...first.edges, ...rest.edges].map((e: { node: { id: string } }) => e.node.id)).toEqual([...ids].reverse());
  });

  it('creates a Checkout Session in payment mode for the team, and a PENDING purchase', async () => {
    const { purchaseCredits } = await admin.client.ok(PURCHASE, { i: { teamId, packId: 'big' } });
    const session = fake.sessions.get(purchaseCredits.id)!;
    expect(purchaseCredits.url).toBe(session.url);
    expect(session).toMatchObject({
      mode: 'payment',
      client_reference_id: teamId,
      metadata: { teamId, packId: 'big' },
      amount_total: 4500,
      currency: 'eur',
      // The dashboard shows the team paid for, whichever team it had selected.
      success_url: `https://cutout.example.com/billing?checkout=success&team=${teamId}`,
      cancel_url: `https://cutout.example.com/billing?checkout=cancel&team=${teamId}`,
    });
    const [request] = requestsTo('/v1/checkout/sessions').slice(-1);
    expect(request.authorization).toBe('Bearer sk_test_cutout_fake');
    expect(request.idempotencyKey).toMatch(/^cutout-purchase-/);
    expect(request.form['payment_intent_data[metadata][teamId]']).toBe(teamId);

    const [purchase] = (await purchasesOf(member.client, teamId)).filter((p) => p.id && p.pack === 'big');
    expect(purchase).toMatchObject({ pack: 'big', credits: 500, amount: 4500, currency: 'eur', status: 'PENDING', receiptUrl: null });
  });

  it('attaches no shared Stripe customer to a checkout: no buyer sees, or has to pay under, an earlier buyer’s email', async () => {
    // Regression (review): every purchase of a team went under one Stripe customer, which keeps the first payer's email
    // and prefills it, locked, on every later buyer's checkout (and it outlived that person's erasure).
    const teamId = await aTeamWithMembers(t, owner, [{ user: admin, role: 'ADMIN' }], 'No shared customer');
    const before = requestsTo('/v1/customers').length;
    await aCheckoutSession(owner.client, fake, teamId);
    await aCheckoutSession(admin.client, fake, teamId, 'two');
    expect(requestsTo('/v1/customers').slice(before)).toEqual([]);
    const sessions = [...fake.sessions.values()].filter((s) => s.client_reference_id === teamId);
    expect(sessions.map((s) => s.customer ?? null)).toEqual([null, null]);
    expect(await t.sql('SELECT team_id FROM billing_customers WHERE team_id = $1', [teamId])).toEqual([]);
  });

  it('deletes at Stripe, when a buyer is erased, the customer an earlier version made for a shared team they bought for', async () => {
    // Regression (review): only customers of the person's personal teams were deleted; a shared team's customer, which
    // kept its first buyer's email, outlived that buyer's erasure.
    const buyer = await aSignedInUser(t, 'billing-erased-buyer');
    const team = await aTeamWithMembers(t, owner, [{ user: buyer, role: 'ADMIN' }], 'Shared customer');
    await aCheckoutSession(buyer.client, fake, team);
    await t.sql('INSERT INTO billing_customers (team_id, stripe_customer_id) VALUES ($1, $2)', [team, 'cus_shared_legacy']);
    const subjects = t.api.app.get(SubjectDataService, { strict: false });
    await subjects.erase((await subjects.resolveSubject(buyer.id))!);
    expect(await t.sql('SELECT team_id FROM billing_customers WHERE team_id = $1', [team])).toEqual([]);
    for (let i = 0; i < 100 && !fake.requests.some((r) => r.path === '/v1/customers/cus_shared_legacy'); i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(fake.requests.filter((r) => r.path === '/v1/customers/cus_shared_legacy').map((r) => r.method)).toEqual(['DELETE']);
  });

  it('sends Stripe no personal data: no email, no name, only the team id', async () => {
    await aCheckoutSession(owner.client, fake, await aTeamWithMembers(t, owner, [], 'Privacy'));
    const personal = [owner.email, admin.email, member.email, owner.email.split('@')[0], 'Privacy'];
    for (const request of fake.requests) {
      const keys = Object.keys(request.form);
      expect(
        keys.filter(
          (k) =>
            /email|name|phone|address|customer_details|customer_update/i.test(k) && k !== 'line_items[0][price_data][product_data][name]',
        ),
      ).toEqual([]);
      for (const value of Object.values(request.form)) for (const p of personal) expect(value).not.toContain(p);
    }
    expect(fake.requests.every((r) => !r.form.customer_email)).toBe(true);
  });

  it('lets only owners and admins buy: a member and an API key are FORBIDDEN and nothing reaches Stripe', async () => {
    const before = fake.requests.length;
    const purchasesBefore = await t.sql('SELECT id FROM purchases ORDER BY id');
    const key = await anApiKey(owner, teamId);
    expect(await member.client.errorCode(PURCHASE, { i: { teamId, packId: 'one' } })).toBe('FORBIDDEN');
    expect(
      await t
        .client()
        .withApiKey(key)
        .errorCode(PURCHASE, { i: { teamId, packId: 'one' } }),
    ).toBe('FORBIDDEN');
    expect(await t.client().errorCode(PURCHASE, { i: { teamId, packId: 'one' } })).toBe('UNAUTHENTICATED');
    const outsider = await aSignedInUser(t, 'billing-outsider');
    expect(await outsider.client.errorCode(PURCHASE, { i: { teamId, packId: 'one' } })).toBe('NOT_FOUND');
    // API keys cannot read the orders either (scripts need the balance only).
    expect(
      await t.client().withApiKey(key).errorCode(`query($id: ID!) { purchases(teamId: $id) { edges { node { id } } } }`, { id: teamId }),
    ).toBe('FORBIDDEN');
    expect(fake.requests.length).toBe(before);
    expect(await t.sql('SELECT id FROM purchases ORDER BY id')).toEqual(purchasesBefore);
  });

  it('shows a purchase’s receipt (a page that shows the payer) to its buyer, owners and admins, not to other members', async () => {
    // Regression (review): every member of the team, a contractor included, could open the payer's receipt.
    const team = await aTeamWithMembers(
      t,
      owner,
      [
        { user: admin, role: 'ADMIN' },
        { user: member, role: 'MEMBER' },
      ],
      'Receipts',
    );
    await aPaidPurchase(t, admin.client, fake, team);
    const receipts = async (client: typeof owner.client) => (await purchasesOf(client, team)).map((p) => p.receiptUrl);
    for (let i = 0; i < 100 && (await receipts(admin.client))[0] === null; i++) await new Promise((r) => setTimeout(r, 50));
    const [receipt] = await receipts(admin.client);
    expect(receipt).toMatch(/^https:\/\//);
    expect(await receipts(owner.client)).toEqual([receipt]);
    expect(await receipts(member.client)).toEqual([null]);
  });

  it('refuses an unknown pack with BAD_USER_INPUT, before asking Stripe', async () => {
    const before = fake.requests.length;
    const { errors } = await owner.client.gql(PURCHASE, { i: { teamId, packId: 'platinum' } });
    expect(errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['BAD_USER_INPUT', 'packId']]);
    expect(fake.requests.length).toBe(before);
  });

  it('answers BILLING_UNAVAILABLE when Stripe fails, and records no purchase', async () => {
    const purchasesBefore = await t.sql('SELECT id FROM purchases ORDER BY id');
    fake.failNext(500);
    expect(await owner.client.errorCode(PURCHASE, { i: { teamId, packId: 'one' } })).toBe('BILLING_UNAVAILABLE');
    expect(await t.sql('SELECT id FROM purchases ORDER BY id')).toEqual(purchasesBefore);
    // The next try works.
    expect((await aCheckoutSession(owner.client, fake, teamId)).client_reference_id).toBe(teamId);
  });
});

describe('without Stripe keys', () => {
  let t: TestApi;

  beforeAll(async () => {
    t = await startTestApi({ ROLE: 'api' });
  }, 60_000);
  afterAll(() => t?.close());

  it('answers BILLING_NOT_CONFIGURED to purchaseCredits, refuses webhooks with 503, and everything else works', async () => {
    const owner = await aSignedInUser(t, 'no-stripe');
    expect(await t.client().ok(CONFIGURED)).toEqual({ billingConfigured: false });
    expect(await owner.client.ok(CONFIGURED)).toEqual({ billingConfigured: false });
    expect(await owner.client.errorCode(PURCHASE, { i: { teamId: owner.personalTeamId, packId: 'starter' } })).toBe(
      'BILLING_NOT_CONFIGURED',
    );
    expect(await purchasesOf(owner.client, owner.personalTeamId)).toEqual([]);
    const { creditPacks } = await t.client().ok(PACKS);
    expect(creditPacks.map((p: { id: string }) => p.id)).toEqual(['starter', 'pro', 'studio']);

    const session = { id: 'cs_test_x', amount_total: 100, currency: 'usd', client_reference_id: owner.personalTeamId, metadata: {} };
    const res = await postWebhook(t.url, aCheckoutEvent('checkout.session.completed', session, 'pi_x', 'paid'));
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('BILLING_NOT_CONFIGURED');
    expect(await t.sql('SELECT id FROM stripe_events')).toEqual([]);
  });
});
