import { randomBytes, randomUUID } from 'node:crypto';
import { CreditsService } from '../src/credits/credits.service';
import type { TestClient } from './graphql-client';
import type { TestApi } from './test-api';

export const A_PASSWORD = 'violet-anchor-meadow-42';

let counter = 0;
export const anEmail = (name = 'user') =>
  `${name.toLowerCase()}.${Date.now().toString(36)}.${++counter}.${randomBytes(3).toString('hex')}@example.com`;

export interface SignedInUser {
  client: TestClient;
  id: string;
  email: string;
  password: string;
  personalTeamId: string;
}

/** A user who signed up, verified their email from the mailbox, and signed in. */
export async function aSignedInUser(t: TestApi, name = 'user'): Promise<SignedInUser> {
  const email = anEmail(name);
  const client = t.client();
  const { signUp } = await client.ok(`mutation($i: SignUpInput!) { signUp(input: $i) { id } }`, { i: { email, password: A_PASSWORD } });
  const token = await t.tokenFromMail(email, /Verify/);
  await client.ok(`mutation($i: VerifyEmailInput!) { verifyEmail(input: $i) { id } }`, { i: { token, password: A_PASSWORD } });
  await client.ok(`mutation($i: SignInInput!) { signIn(input: $i) { id } }`, { i: { email, password: A_PASSWORD } });
  const { teams } = await client.ok(`{ teams { edges { node { id personal } } } }`);
  const personal = teams.edges.find((e: { node: { personal: boolean } }) => e.node.personal);
  return { client, id: signUp.id, email, password: A_PASSWORD, personalTeamId: personal.node.id };
}

/** A signed-in user flagged as platform administrator (as `make-admin` would). */
export async function aPlatformAdmin(t: TestApi, name = 'admin'): Promise<SignedInUser> {
  const admin = await aSignedInUser(t, name);
  await t.sql('UPDATE users SET is_platform_admin = true WHERE id = $1', [admin.id]);
  return admin;
}

/** A team owned by `owner`, with the given members added through real invitations. */
export async function aTeamWithMembers(
  t: TestApi,
  owner: SignedInUser,
  members: { user: SignedInUser; role: 'ADMIN' | 'MEMBER' }[] = [],
  name = 'Acme',
): Promise<string> {
  const { createTeam } = await owner.client.ok(`mutation($i: CreateTeamInput!) { createTeam(input: $i) { id } }`, { i: { name } });
  for (const m of members) await aTeamInvitationAccepted(t, owner, createTeam.id, m.user, m.role);
  return createTeam.id;
}

/**
 * Gives a team `credits` (a multiple of 0.25; negative takes them back, as debt past 0) through
 * the real ledger, as a platform admin's adjustment would. Teams made with createTeam start at 0;
 * a personal team has its trial credits.
 */
export async function fundTeam(t: TestApi, teamId: string, credits: number): Promise<void> {
  await t.api.app.get(CreditsService).apply({
    teamId,
    kind: 'ADMIN_ADJUSTMENT',
    amountQuarters: credits * 4,
    reference: `test-funding-${randomUUID()}`,
    reason: 'test set-up',
  });
}

/** A team owned by `owner` (through createTeam) holding `credits`. */
export async function aFundedTeam(t: TestApi, owner: SignedInUser, credits: number, name = 'Funded'): Promise<string> {
  const teamId = await aTeamWithMembers(t, owner, [], name);
  await fundTeam(t, teamId, credits);
  return teamId;
}

/** A fresh API key of a team, created by an owner or admin. */
export async function anApiKey(admin: SignedInUser, teamId: string, name = 'test key'): Promise<string> {
  const { createApiKey } = await admin.client.ok(`mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }`, {
    i: { teamId, name },
  });
  return createApiKey.secret;
}

/**
 * Gives `user` exactly `role` in the owner's team, as the owner would: an invitation
 * (accepted) when not a member, then a role change when needed (OWNER is only granted).
 */
export async function withTeamRole(
  t: TestApi,
  owner: SignedInUser,
  teamId: string,
  user: SignedInUser,
  role: 'OWNER' | 'ADMIN' | 'MEMBER',
): Promise<void> {
  const [row] = await t.sql<{ role: string }>('SELECT role FROM memberships WHERE team_id = $1 AND user_id = $2', [teamId, user.id]);
  let current = row?.role;
  if (!current) {
    current = role === 'MEMBER' ? 'MEMBER' : 'ADMIN';
    await aTeamInvitationAccepted(t, owner, teamId, user, current as 'ADMIN' | 'MEMBER');
  }
  if (current !== role) {
    await owner.client.ok(`mutation($i: ChangeMemberRoleInput!) { changeMemberRole(input: $i) { role } }`, {
      i: { teamId, userId: user.id, role },
    });
  }
}

async function aTeamInvitationAccepted(
  t: TestApi,
  owner: SignedInUser,
  teamId: string,
  user: SignedInUser,
  role: 'ADMIN' | 'MEMBER',
): Promise<void> {
  await owner.client.ok(`mutation($i: InviteMemberInput!) { inviteMember(input: $i) { id } }`, { i: { teamId, email: user.email, role } });
  const token = await t.tokenFromMail(user.email, /invited/);
  await user.client.ok(`mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { id } }`, { i: { token } });
}
