import { aSignedInUser, aTeamWithMembers, anApiKey, anEmail, type SignedInUser } from '../../testing/builders';
import type { TestClient } from '../../testing/graphql-client';
import { startTestApi, type TestApi } from '../../testing/test-api';

/**
 * Every team-scoped operation, tried by a user and by an API key of another team
 * against team A: each must fail without revealing team A, and change nothing.
 */
describe('cross-team access', () => {
  let t: TestApi;
  let ownerA: SignedInUser;
  let memberA: SignedInUser;
  let ownerB: SignedInUser;
  let teamA: string;
  let keyB: string;
  let keyAId: string;
  let invitationAId: string;

  beforeAll(async () => {
    t = await startTestApi();
    [ownerA, memberA, ownerB] = await Promise.all([aSignedInUser(t, 'ownerA'), aSignedInUser(t, 'memberA'), aSignedInUser(t, 'ownerB')]);
    teamA = await aTeamWithMembers(t, ownerA, [{ user: memberA, role: 'MEMBER' }], 'Team A');
    const teamB = await aTeamWithMembers(t, ownerB, [], 'Team B');
    keyB = await anApiKey(ownerB, teamB);
    const created = await ownerA.client.ok(`mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { apiKey { id } } }`, {
      i: { teamId: teamA, name: 'A' },
    });
    keyAId = created.createApiKey.apiKey.id;
    const invited = await ownerA.client.ok(`mutation($i: InviteMemberInput!) { inviteMember(input: $i) { id } }`, {
      i: { teamId: teamA, email: anEmail('pending'), role: 'MEMBER' },
    });
    invitationAId = invited.inviteMember.id;
  });
  afterAll(() => t?.close());

  const operations = (): [string, string, () => Record<string, unknown>][] => [
    ['team', `query($id: ID!) { team(id: $id) { id } }`, () => ({ id: teamA })],
    ['invitations', `query($id: ID!) { invitations(teamId: $id) { edges { node { id } } } }`, () => ({ id: teamA })],
    ['apiKeys', `query($id: ID!) { apiKeys(teamId: $id) { edges { node { id } } } }`, () => ({ id: teamA })],
    ['renameTeam', `mutation($i: RenameTeamInput!) { renameTeam(input: $i) { id } }`, () => ({ i: { teamId: teamA, name: 'pwned' } })],
    [
      'inviteMember',
      `mutation($i: InviteMemberInput!) { inviteMember(input: $i) { id } }`,
      () => ({ i: { teamId: teamA, email: anEmail('x'), role: 'ADMIN' } }),
    ],
    [
      'revokeInvitation',
      `mutation($i: RevokeInvitationInput!) { revokeInvitation(input: $i) { id } }`,
      () => ({ i: { invitationId: invitationAId } }),
    ],
    [
      'changeMemberRole',
      `mutation($i: ChangeMemberRoleInput!) { changeMemberRole(input: $i) { role } }`,
      () => ({ i: { teamId: teamA, userId: memberA.id, role: 'ADMIN' } }),
    ],
    [
      'removeMember',
      `mutation($i: RemoveMemberInput!) { removeMember(input: $i) { id } }`,
      () => ({ i: { teamId: teamA, userId: memberA.id } }),
    ],
    ['leaveTeam', `mutation($i: LeaveTeamInput!) { leaveTeam(input: $i) }`, () => ({ i: { teamId: teamA } })],
    [
      'transferOwnership',
      `mutation($i: TransferOwnershipInput!) { transferOwnership(input: $i) { id } }`,
      () => ({ i: { teamId: teamA, userId: memberA.id } }),
    ],
    [
      'createApiKey',
      `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }`,
      () => ({ i: { teamId: teamA, name: 'stolen' } }),
    ],
    ['revokeApiKey', `mutation($i: RevokeApiKeyInput!) { revokeApiKey(input: $i) { id } }`, () => ({ i: { id: keyAId } })],
  ];

  async function snapshot(): Promise<string> {
    const tables = ['teams', 'memberships', 'invitations', 'api_keys'];
    const parts = await Promise.all(tables.map((table) => t.sql(`SELECT * FROM ${table} ORDER BY 1, 2`)));
    return JSON.stringify(parts.map((rows) => rows.map((r) => ({ ...r, last_used_at: undefined }))));
  }

  async function expectRefused(caller: () => TestClient, allowed: string[]): Promise<void> {
    const before = await snapshot();
    const results: Record<string, string | undefined> = {};
    for (const [name, query, variables] of operations()) results[name] = await caller().errorCode(query, variables());
    for (const [name, code] of Object.entries(results))
      expect([name, allowed.includes(code ?? '') ? 'refused' : code]).toEqual([name, 'refused']);
    expect(await snapshot()).toEqual(before);
  }

  it('refuses a signed-in user of another team everything, revealing nothing', async () => {
    await expectRefused(() => ownerB.client, ['NOT_FOUND']);
  });

  it('refuses an API key of another team everything', async () => {
    // Operations an API key may never do are FORBIDDEN whatever the team; team reads are NOT_FOUND.
    await expectRefused(() => t.client().withApiKey(keyB), ['NOT_FOUND', 'FORBIDDEN']);
    const key = t.client().withApiKey(keyB);
    expect(await key.errorCode(`query($id: ID!) { team(id: $id) { id } }`, { id: teamA })).toBe('NOT_FOUND');
  });

  it('refuses anonymous callers everything', async () => {
    await expectRefused(() => t.client(), ['UNAUTHENTICATED']);
  });
});
