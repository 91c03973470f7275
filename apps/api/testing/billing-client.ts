import type { TestClient } from './graphql-client';
import type { FakeCheckoutSession, FakeStripe } from './fake-stripe.server';
import { aCheckoutEvent, aPaymentIntentId, postWebhook, TEST_WEBHOOK_SECRET } from './stripe-webhooks';
import type { TestApi } from './test-api';

export const PURCHASE = `mutation($i: PurchaseCreditsInput!) { purchaseCredits(input: $i) { id url } }`;
export const PURCHASES = `query($id: ID!) { purchases(teamId: $id, first: 100) {
  edges { node { id pack credits amount currency status createdAt receiptUrl } } pageInfo { hasNextPage endCursor } } }`;

/** Small packs, so that tests can spend a pack with a few jobs (a 48×48 job costs 0.25 credit). */
export const TEST_PACKS = 'one:1:100:usd,two:2:180:usd,big:500:4500:eur';

/** The environment of an API whose Stripe is the fake (and whose packs are TEST_PACKS). */
export const stripeEnv = (fake: FakeStripe): Record<string, string> => ({
  STRIPE_SECRET_KEY: 'sk_test_cutout_fake',
  STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
  STRIPE_API_BASE: fake.url,
  CREDIT_PACKS: TEST_PACKS,
});

/** purchaseCredits as `client`; returns the session the fake Stripe created. */
export async function aCheckoutSession(client: TestClient, fake: FakeStripe, teamId: string, packId = 'one'): Promise<FakeCheckoutSession> {
  const { purchaseCredits } = await client.ok(PURCHASE, { i: { teamId, packId } });
  const session = fake.sessions.get(purchaseCredits.id);
  if (!session) throw new Error(`the fake Stripe has no session ${purchaseCredits.id}`);
  return session;
}

/** A pack bought and paid: purchaseCredits, then Stripe's `checkout.session.completed` (paid). */
export async function aPaidPurchase(
  t: TestApi,
  client: TestClient,
  fake: FakeStripe,
  teamId: string,
  packId = 'one',
): Promise<{ session: FakeCheckoutSession; paymentIntent: string }> {
  const session = await aCheckoutSession(client, fake, teamId, packId);
  const paymentIntent = aPaymentIntentId();
  const res = await postWebhook(t.url, aCheckoutEvent('checkout.session.completed', session, paymentIntent, 'paid'));
  if (res.status !== 200) throw new Error(`the webhook answered ${res.status}: ${await res.text()}`);
  return { session, paymentIntent };
}

/** The team's purchases (newest first), as any member reads them. */
export async function purchasesOf(client: TestClient, teamId: string): Promise<Record<string, any>[]> {
  const { purchases } = await client.ok(PURCHASES, { id: teamId });
  return purchases.edges.map((e: { node: Record<string, any> }) => e.node);
}
