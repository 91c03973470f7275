import { aSignedInUser, aTeamWithMembers, anEmail, withTeamRole, type SignedInUser } from '../../testing/builders';
import { startTestApi, type TestApi } from '../../testing/test-api';

const TEAM = `query($id: ID!) { team(id: $id) { id name viewerRole members { edges { node { userId email role } } } } }`;
const INVITE = `mutation($i: InviteMemberInput!) { inviteMember(input: $i) { id email role status } }`;
const ACCEPT = `mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { id viewerRole } }`;
const CHANGE_ROLE = `mutation($i: ChangeMemberRoleInput!) { changeMemberRole(input: $i) { userId role } }`;
const REMOVE = `mutation($i: RemoveMemberInput!) { removeMember(input: $i) { id } }`;
const LEAVE = `mutation($i: LeaveTeamInput!) { leaveTeam(input: $i) }`;
const TRANSFER = `mutation($i: TransferOwnershipInput!) { transferOwnership(input: $i) { id viewerRole } }`;
const RENAME = `mutation($i: RenameTeamInput!) { renameTeam(input: $i) { id name } }`;

async function roleOf(t: TestApi, teamId: string, userId: string): Promise<string | undefined> {
  const rows = await t.sql<{ role: string }>('SELECT role FROM memberships WHERE team_id = $1 AND user_id = $2', [teamId, userId]);
  return rows[0]?.role;
}

describe('teams', () => {
  let t: TestApi;
  let owner: SignedInUser;
  let admin: SignedInUser;
  let member: SignedInUser;
  let teamId: string;

  beforeAll(async () => {
    t = await startTestApi();
    [owner, admin, member] = await Promise.all([aSignedInUser(t, 'owner'), aSignedInUser(t, 'admin'), aSignedInUser(t, 'member')]);
    teamId = await aTeamWithMembers(t, owner, [
      { user: admin, role: 'ADMIN' },
      { user: member, role: 'MEMBER' },
    ]);
  });
  afterAll(() => t?.close());

  it('shows the team and its members to every member', async () => {
    const { team } = await member.client.ok(TEAM, { id: teamId });
    expect(team.viewerRole).toBe('MEMBER');
    const roles = Object.fromEntries(team.members.edges.map((e: { node: { email: string; role: string } }) => [e.node.email, e.node.role]));
    expect(roles).toEqual({ [owner.email]: 'OWNER', [admin.email]: 'ADMIN', [member.email]: 'MEMBER' });
  });

  it('lets owners and admins rename, not members; bad names change nothing', async () => {
    expect((await admin.client.ok(RENAME, { i: { teamId, name: '  Acme   Studio ' } })).renameTeam.name).toBe('Acme Studio');
    expect(await member.client.errorCode(RENAME, { i: { teamId, name: 'Hijacked' } })).toBe('FORBIDDEN');
    expect(await owner.client.errorCode(RENAME, { i: { teamId, name: '   ' } })).toBe('BAD_USER_INPUT');
    expect(await owner.client.errorCode(RENAME, { i: { teamId, name: 'x'.repeat(101) } })).toBe('BAD_USER_INPUT');
    expect((await owner.client.ok(TEAM, { id: teamId })).team.name).toBe('Acme Studio');
  });

  it('invites by mail; only the invited address can accept, once', async () => {
    const newcomer = await aSignedInUser(t, 'newcomer');
    const outsider = await aSignedInUser(t, 'outsider');
    const { inviteMember } = await admin.client.ok(INVITE, { i: { teamId, email: newcomer.email.toUpperCase(), role: 'MEMBER' } });
    expect(inviteMember).toMatchObject({ email: newcomer.email, role: 'MEMBER', status: 'PENDING' });
    const token = await t.tokenFromMail(newcomer.email, /invited/);
    const pending = await owner.client.ok(`query($id: ID!) { invitations(teamId: $id) { edges { node { email } } } }`, { id: teamId });
    expect(pending.invitations.edges.map((e: { node: { email: string } }) => e.node.email)).toContain(newcomer.email);

    expect(await outsider.client.errorCode(ACCEPT, { i: { token } })).toBe('FORBIDDEN');
    expect(await roleOf(t, teamId, outsider.id)).toBeUndefined();
    expect(await t.client().errorCode(ACCEPT, { i: { token } })).toBe('UNAUTHENTICATED');
    expect((await newcomer.client.ok(ACCEPT, { i: { token } })).acceptInvitation).toEqual({ id: teamId, viewerRole: 'MEMBER' });
    expect(await newcomer.client.errorCode(ACCEPT, { i: { token } })).toBe('INVALID_TOKEN');
    expect(await newcomer.client.errorCode(ACCEPT, { i: { token: 'forged' } })).toBe('INVALID_TOKEN');
    expect(await owner.client.errorCode(INVITE, { i: { teamId, email: newcomer.email, role: 'MEMBER' } })).toBe('CONFLICT');
  });

  it('refuses invitations above the inviter’s rights and expired ones', async () => {
    expect(await member.client.errorCode(INVITE, { i: { teamId, email: anEmail(), role: 'MEMBER' } })).toBe('FORBIDDEN');
    expect(await admin.client.errorCode(INVITE, { i: { teamId, email: anEmail(), role: 'OWNER' } })).toBe('BAD_USER_INPUT');
    expect(await admin.client.errorCode(INVITE, { i: { teamId, email: 'nope', role: 'MEMBER' } })).toBe('BAD_USER_INPUT');

    const late = await aSignedInUser(t, 'late');
    await owner.client.ok(INVITE, { i: { teamId, email: late.email, role: 'ADMIN' } });
    const token = await t.tokenFromMail(late.email, /invited/);
    await t.sql(`UPDATE invitations SET expires_at = now() - interval '1 second' WHERE accepted_at IS NULL`);
    expect(await late.client.errorCode(ACCEPT, { i: { token } })).toBe('INVALID_TOKEN');
    expect(await roleOf(t, teamId, late.id)).toBeUndefined();
  });

  it('ends an invitation with its sender’s right to invite: removed, left or demoted, it is withdrawn and accepting it is INVALID_TOKEN', async () => {
    // Regression: accept checked only the invitation, so a removed or demoted admin's pending ADMIN invitation
    // (say, to a second address of their own) still made its holder an ADMIN of the team.
    const PENDING = `query($id: ID!) { invitations(teamId: $id) { edges { node { email } } } }`;
    const ends: [string, (team: string, sender: SignedInUser) => Promise<unknown>][] = [
      ['removed', (team, sender) => owner.client.ok(REMOVE, { i: { teamId: team, userId: sender.id } })],
      ['left', (team, sender) => sender.client.ok(LEAVE, { i: { teamId: team } })],
      ['demoted', (team, sender) => owner.client.ok(CHANGE_ROLE, { i: { teamId: team, userId: sender.id, role: 'MEMBER' } })],
      // Not through the API (as if the demotion committed between the invitation's check and its insert): accept checks again.
      [
        'demoted behind the withdrawal',
        (team, sender) => t.sql(`UPDATE memberships SET role = 'MEMBER' WHERE team_id = $1 AND user_id = $2`, [team, sender.id]),
      ],
    ];
    for (const [how, end] of ends) {
      const sender = await aSignedInUser(t, 'sender');
      const invitee = await aSignedInUser(t, 'invitee');
      const team = await aTeamWithMembers(t, owner, [{ user: sender, role: 'ADMIN' }]);
      await sender.client.ok(INVITE, { i: { teamId: team, email: invitee.email, role: 'ADMIN' } });
      const token = await t.tokenFromMail(invitee.email, /invited/);
      await end(team, sender);
      const listed = (await owner.client.ok(PENDING, { id: team })).invitations.edges.map((e: { node: { email: string } }) => e.node.email);
      expect([how, listed.includes(invitee.email)]).toEqual([how, how === 'demoted behind the withdrawal']);
      expect([how, await invitee.client.errorCode(ACCEPT, { i: { token } })]).toEqual([how, 'INVALID_TOKEN']);
      expect(await roleOf(t, team, invitee.id)).toBeUndefined();
    }
    // An owner who hands ownership on is an ADMIN and may still invite: their invitation stands.
    const former = await aSignedInUser(t, 'former');
    const heir = await aSignedInUser(t, 'heir');
    const invitee = await aSignedInUser(t, 'invitee');
    const team = await aTeamWithMembers(t, former, [{ user: heir, role: 'ADMIN' }]);
    await former.client.ok(INVITE, { i: { teamId: team, email: invitee.email, role: 'ADMIN' } });
    const token = await t.tokenFromMail(invitee.email, /invited/);
    await former.client.ok(TRANSFER, { i: { teamId: team, userId: heir.id } });
    expect((await invitee.client.ok(ACCEPT, { i: { token } })).acceptInvitation).toEqual({ id: team, viewerRole: 'ADMIN' });
  });

  it('applies role rules when changing roles and removing members', async () => {
    const extra = await aSignedInUser(t, 'extra');
    const team2 = await aTeamWithMembers(t, owner, [
      { user: admin, role: 'ADMIN' },
      { user: member, role: 'MEMBER' },
      { user: extra, role: 'MEMBER' },
    ]);
    expect(await member.client.errorCode(CHANGE_ROLE, { i: { teamId: team2, userId: extra.id, role: 'ADMIN' } })).toBe('FORBIDDEN');
    expect(await admin.client.errorCode(CHANGE_ROLE, { i: { teamId: team2, userId: owner.id, role: 'MEMBER' } })).toBe('FORBIDDEN');
    expect(await admin.client.errorCode(CHANGE_ROLE, { i: { teamId: team2, userId: extra.id, role: 'OWNER' } })).toBe('FORBIDDEN');
    expect(await admin.client.errorCode(REMOVE, { i: { teamId: team2, userId: owner.id } })).toBe('FORBIDDEN');
    expect(await roleOf(t, team2, owner.id)).toBe('OWNER');

    expect((await admin.client.ok(CHANGE_ROLE, { i: { teamId: team2, userId: extra.id, role: 'ADMIN' } })).changeMemberRole).toEqual({
      userId: extra.id,
      role: 'ADMIN',
    });
    await owner.client.ok(REMOVE, { i: { teamId: team2, userId: extra.id } });
    expect(await roleOf(t, team2, extra.id)).toBeUndefined();
    expect(await extra.client.errorCode(TEAM, { id: team2 })).toBe('NOT_FOUND');
    expect(await owner.client.errorCode(REMOVE, { i: { teamId: team2, userId: extra.id } })).toBe('NOT_FOUND');
    expect(await owner.client.errorCode(CHANGE_ROLE, { i: { teamId: team2, userId: 'not-a-uuid', role: 'ADMIN' } })).toBe('NOT_FOUND');
  });

  it('always keeps an owner; ownership moves by transfer', async () => {
    const team3 = await aTeamWithMembers(t, owner, [{ user: member, role: 'MEMBER' }]);
    expect(await owner.client.errorCode(LEAVE, { i: { teamId: team3 } })).toBe('CONFLICT');
    expect(await owner.client.errorCode(CHANGE_ROLE, { i: { teamId: team3, userId: owner.id, role: 'MEMBER' } })).toBe('CONFLICT');
    expect(await member.client.errorCode(TRANSFER, { i: { teamId: team3, userId: member.id } })).toBe('FORBIDDEN');
    expect(await owner.client.errorCode(TRANSFER, { i: { teamId: team3, userId: admin.id } })).toBe('NOT_FOUND');
    expect(await roleOf(t, team3, owner.id)).toBe('OWNER');

    expect((await owner.client.ok(TRANSFER, { i: { teamId: team3, userId: member.id } })).transferOwnership).toEqual({
      id: team3,
      viewerRole: 'ADMIN',
    });
    expect(await roleOf(t, team3, member.id)).toBe('OWNER');
    expect((await owner.client.ok(LEAVE, { i: { teamId: team3 } })).leaveTeam).toBe(true);
    expect(await member.client.errorCode(LEAVE, { i: { teamId: team3 } })).toBe('CONFLICT');
  });

  it('keeps a personal team its maker’s alone: a member is never made its owner nor handed it (BAD_USER_INPUT, nothing changes)', async () => {
    // A second owner of someone's personal team would be erased and exported as if it were their own.
    const maker = await aSignedInUser(t, 'maker');
    const guest = await aSignedInUser(t, 'guest');
    const team = maker.personalTeamId;
    await withTeamRole(t, maker, team, guest, 'ADMIN');
    expect(await maker.client.errorCode(CHANGE_ROLE, { i: { teamId: team, userId: guest.id, role: 'OWNER' } })).toBe('BAD_USER_INPUT');
    expect(await maker.client.errorCode(TRANSFER, { i: { teamId: team, userId: guest.id } })).toBe('BAD_USER_INPUT');
    expect(await roleOf(t, team, maker.id)).toBe('OWNER');
    expect(await roleOf(t, team, guest.id)).toBe('ADMIN');
    // Other roles still change as in any team.
    expect((await maker.client.ok(CHANGE_ROLE, { i: { teamId: team, userId: guest.id, role: 'MEMBER' } })).changeMemberRole.role).toBe(
      'MEMBER',
    );
  });

  it('pages through teams with cursors and rejects bad page arguments', async () => {
    const user = await aSignedInUser(t, 'pager');
    for (const name of ['B', 'C']) await user.client.ok(`mutation($i: CreateTeamInput!) { createTeam(input: $i) { id } }`, { i: { name } });
    const PAGE = `query($first: Int, $after: String) { teams(first: $first, after: $after) { edges { node { name } } pageInfo { hasNextPage endCursor } } }`;
    const names: string[] = [];
    let after: string | null = null;
    do {
      const { teams }: { teams: { edges: { node: { name: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } =
        await user.client.ok(PAGE, { first: 1, after });
      names.push(...teams.edges.map((e) => e.node.name));
      after = teams.pageInfo.hasNextPage ? teams.pageInfo.endCursor : null;
    } while (after);
    expect(names).toEqual(['Personal', 'B', 'C']);
    expect(await user.client.errorCode(PAGE, { first: 0 })).toBe('BAD_USER_INPUT');
    expect(await user.client.errorCode(PAGE, { first: 101 })).toBe('BAD_USER_INPUT');
    expect(await user.client.errorCode(PAGE, { first: 1, after: 'garbage' })).toBe('BAD_USER_INPUT');
  });
});
