import { randomUUID } from 'node:crypto';
import { aPaidPurchase } from './billing-client';
import { aSignedInUser, aTeamWithMembers, anApiKey, anEmail, fundTeam, withTeamRole, type SignedInUser } from './builders';
import type { FakeStripe } from './fake-stripe.server';
import type { TestClient } from './graphql-client';
import { REMOVE, uploadImage, waitForJob } from './jobs-client';
import { aNoisyImage } from './test-images';
import type { TestApi } from './test-api';

/** A person with data in every table that can hold some of theirs, and what the tests look for afterwards. */
export interface SeededPerson {
  user: SignedInUser;
  /** Owner of `sharedTeamId` (where the person is ADMIN) and of `otherTeamId` (which invited the person). */
  owner: SignedInUser;
  sharedTeamId: string;
  otherTeamId: string;
  /** Someone the person invited (pending): their address must not reach the person's export. */
  inviteeEmail: string;
  /** Keys the person created: of their personal team, and of the shared team. */
  personalKey: string;
  sharedKey: string;
  /** Their personal team's jobs, with the uploaded images and the downloaded results. */
  jobs: { id: string; input: Buffer; result: Buffer }[];
  /** A job the person ran in the shared team (team data: it stays). */
  sharedJobId: string;
}

/** One job through the real API, worker and inference service; returns its id, input and downloaded result. */
export async function aFinishedJob(
  client: TestClient,
  teamId: string,
  input?: Buffer,
): Promise<{ id: string; input: Buffer; result: Buffer }> {
  const image = input ?? (await aNoisyImage(96, 80));
  const upload = await uploadImage(client, teamId, image);
  const { removeBackground } = await client.ok(REMOVE, {
    i: { teamId, uploadId: upload.id, idempotencyKey: randomUUID(), options: { format: 'PNG' } },
  });
  const job = await waitForJob(client, removeBackground.id);
  if (job.status !== 'SUCCEEDED') throw new Error(`job ${job.id} ended ${job.status}: ${JSON.stringify(job.error)}`);
  const res = await fetch((job.resultUrl as string).replace('localhost', '127.0.0.1'));
  if (res.status !== 200) throw new Error(`result download answered ${res.status}`);
  return { id: job.id, input: image, result: Buffer.from(await res.arrayBuffer()) };
}

/** Calls a mutation only when the schema has it (consent and policies arrive with their own work). */

/**
 * A person who signed up, verified, signed in and asked for a password reset (sessions, mail
 * tokens, mails, rate-limit buckets, trial credits), is ADMIN of someone else's team (an accepted
 * invitation, a role change in the audit log) where they invited someone, has a pending invitation
 * to another team, created API keys in both teams, ran jobs with real images through the real
 * inference service in their personal team (uploads, blobs, ledger charges) and one in the shared
 * team, bought a credit pack through the fake Stripe (a purchase, a ledger row, and a Stripe customer as earlier
 * versions made one) when `stripe` is given, and recorded consent and accepted the policy when the API has them.
 */
export async function aPersonWithDataEverywhere(t: TestApi, options: { stripe?: FakeStripe; jobs?: number } = {}): Promise<SeededPerson> {
  const user = await aSignedInUser(t, 'subject');
  const owner = await aSignedInUser(t, 'owner');
  await t.client().ok(`mutation($i: RequestPasswordResetInput!) { requestPasswordReset(input: $i) }`, { i: { email: user.email } });

  const sharedTeamId = await aTeamWithMembers(t, owner, [{ user, role: 'MEMBER' }], 'Shared');
  await withTeamRole(t, owner, sharedTeamId, user, 'ADMIN');
  const inviteeEmail = anEmail('invitee');
  await user.client.ok(`mutation($i: InviteMemberInput!) { inviteMember(input: $i) { id } }`, {
    i: { teamId: sharedTeamId, email: inviteeEmail, role: 'MEMBER' },
  });
  const otherTeamId = await aTeamWithMembers(t, owner, [], 'Other');
  await owner.client.ok(`mutation($i: InviteMemberInput!) { inviteMember(input: $i) { id } }`, {
    i: { teamId: otherTeamId, email: user.email, role: 'MEMBER' },
  });

  const personalKey = await anApiKey(user, user.personalTeamId, 'personal key');
  const sharedKey = await anApiKey(user, sharedTeamId, 'shared key');

  const jobs = [];
  for (let i = 0; i < (options.jobs ?? 2); i++) jobs.push(await aFinishedJob(user.client, user.personalTeamId));
  await fundTeam(t, sharedTeamId, 5);
  const sharedJob = await aFinishedJob(user.client, sharedTeamId);

  if (options.stripe) {
    await aPaidPurchase(t, user.client, options.stripe, user.personalTeamId);
    // A Stripe customer of their personal team, as earlier versions made on a first purchase: an erasure deletes it at Stripe.
    await t.sql('INSERT INTO billing_customers (team_id, stripe_customer_id) VALUES ($1, $2)', [
      user.personalTeamId,
      `cus_legacy_${user.id.slice(0, 8)}`,
    ]);
  }

  const { privacy, cookies } = await user.client.ok(
    `{ privacy: policy(kind: PRIVACY) { version } cookies: policy(kind: COOKIES) { version } }`,
  );
  await user.client.ok(`mutation($i: AcceptPolicyInput!) { acceptPolicy(input: $i) { __typename } }`, { i: { version: privacy.version } });
  await user.client.ok(`mutation($i: RecordConsentInput!) { recordConsent(input: $i) { __typename } }`, {
    i: { categories: ['STRICTLY_NECESSARY', 'PERFORMANCE'], policyVersion: cookies.version, source: 'BANNER' },
  });

  return { user, owner, sharedTeamId, otherTeamId, inviteeEmail, personalKey, sharedKey, jobs, sharedJobId: sharedJob.id };
}
