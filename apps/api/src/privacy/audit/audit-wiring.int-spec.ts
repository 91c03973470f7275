import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { aPlatformAdmin, aSignedInUser, aTeamWithMembers, type SignedInUser } from '../../../testing/builders';
import { startTestApi, type TestApi } from '../../../testing/test-api';

const CHANGE_ROLE = `mutation($i: ChangeMemberRoleInput!) { changeMemberRole(input: $i) { role } }`;
const REMOVE = `mutation($i: RemoveMemberInput!) { removeMember(input: $i) { id } }`;
const LEAVE = `mutation($i: LeaveTeamInput!) { leaveTeam(input: $i) }`;
const TRANSFER = `mutation($i: TransferOwnershipInput!) { transferOwnership(input: $i) { id } }`;
const CREATE_KEY = `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { apiKey { id } } }`;
const REVOKE_KEY = `mutation($i: RevokeApiKeyInput!) { revokeApiKey(input: $i) { id } }`;
const ADJUST = `mutation($i: AdjustCreditsInput!) { adjustCredits(input: $i) { entry { id } } }`;

interface Entry {
  action: string;
  actor_kind: string;
  actor_user_id: string | null;
  actor_api_key_id: string | null;
  team_id: string | null;
  subject_user_id: string | null;
  target_type: string | null;
  target_id: string | null;
  reason: string | null;
  details: Record<string, unknown>;
}

/**
 * Each privileged change of the existing domains leaves exactly one audit entry, written in the
 * change's own transaction; a refused change leaves none.
 */
describe('audit entries of the existing domains', () => {
  let t: TestApi;
  let seen: Set<string>;

  beforeAll(async () => {
    t = await startTestApi({ ROLE: 'api' });
  });
  afterAll(() => t.close());

  /** Entries written since the last call that concern these teams or people (the sweeper writes its own meanwhile). */
  const newEntries = async (teamIds: string[], userIds: string[] = []): Promise<Entry[]> => {
    const rows = await t.sql<Entry & { id: string }>(
      `SELECT * FROM audit_log WHERE team_id = ANY($1) OR subject_user_id = ANY($2) OR actor_user_id = ANY($2) ORDER BY occurred_at, id`,
      [teamIds, userIds],
    );
    const fresh = rows.filter((r) => !seen.has(r.id));
    for (const r of fresh) seen.add(r.id);
    return fresh.map(({ id: _id, occurred_at: _at, ...rest }: Entry & { id: string; occurred_at?: unknown }) => rest);
  };
  const entry = (e: Partial<Entry>): Entry => ({
    actor_kind: 'USER',
    actor_user_id: null,
    actor_api_key_id: null,
    team_id: null,
    subject_user_id: null,
    target_type: null,
    target_id: null,
    reason: null,
    details: {},
    action: '',
    ...e,
  });

  let owner: SignedInUser;
  let admin: SignedInUser;
  let member: SignedInUser;
  let teamId: string;
  beforeEach(async () => {
    seen = new Set((await t.sql<{ id: string }>('SELECT id FROM audit_log')).map((r) => r.id));
    [owner, admin, member] = await Promise.all(['owner', 'admin', 'member'].map((n) => aSignedInUser(t, n)));
    teamId = await aTeamWithMembers(t, owner, [
      { user: admin, role: 'ADMIN' },
      { user: member, role: 'MEMBER' },
    ]);
    await newEntries([teamId]);
  });

  it('changeMemberRole records MEMBER_ROLE_CHANGED with the roles before and after; a refused or empty change records nothing', async () => {
    expect(await member.client.errorCode(CHANGE_ROLE, { i: { teamId, userId: admin.id, role: 'MEMBER' } })).toBe('FORBIDDEN');
    expect(await admin.client.errorCode(CHANGE_ROLE, { i: { teamId, userId: owner.id, role: 'ADMIN' } })).toBe('FORBIDDEN');
    expect(await owner.client.errorCode(CHANGE_ROLE, { i: { teamId, userId: owner.id, role: 'ADMIN' } })).toBe('CONFLICT');
    await owner.client.ok(CHANGE_ROLE, { i: { teamId, userId: member.id, role: 'MEMBER' } });
    expect(await newEntries([teamId])).toEqual([]);

    await admin.client.ok(CHANGE_ROLE, { i: { teamId, userId: member.id, role: 'ADMIN' } });
    expect(await newEntries([teamId])).toEqual([
      entry({
        action: 'MEMBER_ROLE_CHANGED',
        actor_user_id: admin.id,
        team_id: teamId,
        subject_user_id: member.id,
        details: { from: 'MEMBER', to: 'ADMIN' },
      }),
    ]);
  });

  it('removeMember records MEMBER_REMOVED, leaveTeam MEMBER_LEFT (the member is actor and subject); the last owner leaving records nothing', async () => {
    expect(await member.client.errorCode(REMOVE, { i: { teamId, userId: admin.id } })).toBe('FORBIDDEN');
    expect(await owner.client.errorCode(LEAVE, { i: { teamId } })).toBe('CONFLICT');
    expect(await newEntries([teamId])).toEqual([]);

    await admin.client.ok(REMOVE, { i: { teamId, userId: member.id } });
    await admin.client.ok(LEAVE, { i: { teamId } });
    expect(await newEntries([teamId])).toEqual([
      entry({
        action: 'MEMBER_REMOVED',
        actor_user_id: admin.id,
        team_id: teamId,
        subject_user_id: member.id,
        details: { role: 'MEMBER' },
      }),
      entry({ action: 'MEMBER_LEFT', actor_user_id: admin.id, team_id: teamId, subject_user_id: admin.id, details: { role: 'ADMIN' } }),
    ]);
  });

  it('transferOwnership records OWNERSHIP_TRANSFERRED with the new owner as subject; an admin’s attempt records nothing', async () => {
    expect(await admin.client.errorCode(TRANSFER, { i: { teamId, userId: member.id } })).toBe('FORBIDDEN');
    expect(await newEntries([teamId])).toEqual([]);
    await owner.client.ok(TRANSFER, { i: { teamId, userId: member.id } });
    expect(await newEntries([teamId])).toEqual([
      entry({
        action: 'OWNERSHIP_TRANSFERRED',
        actor_user_id: owner.id,
        team_id: teamId,
        subject_user_id: member.id,
        details: { from: 'MEMBER', to: 'OWNER', formerOwnerRole: 'ADMIN' },
      }),
    ]);
  });

  it('createApiKey and revokeApiKey record the key’s id (never its name or secret); a member’s attempt and a second revocation record nothing', async () => {
    expect(await member.client.errorCode(CREATE_KEY, { i: { teamId, name: 'ci' } })).toBe('FORBIDDEN');
    const { createApiKey } = await admin.client.ok(CREATE_KEY, { i: { teamId, name: 'secret project ci' } });
    const keyId = createApiKey.apiKey.id;
    expect(await member.client.errorCode(REVOKE_KEY, { i: { id: keyId } })).toBe('FORBIDDEN');
    await owner.client.ok(REVOKE_KEY, { i: { id: keyId } });
    await owner.client.ok(REVOKE_KEY, { i: { id: keyId } });
    const key = { team_id: teamId, target_type: 'API_KEY', target_id: keyId };
    expect(await newEntries([teamId])).toEqual([
      entry({ action: 'API_KEY_CREATED', actor_user_id: admin.id, ...key }),
      entry({ action: 'API_KEY_REVOKED', actor_user_id: owner.id, ...key }),
    ]);
    expect(JSON.stringify(await t.sql('SELECT * FROM audit_log WHERE target_id = $1', [keyId]))).not.toMatch(/secret project|ck_/);
  });

  it('adjustCredits records CREDITS_ADJUSTED by the platform admin with the reason and the ledger row; refused or bad adjustments record nothing', async () => {
    const platformAdmin = await aPlatformAdmin(t);
    const adjust = { teamId, amount: 2.5, reason: 'goodwill, ticket 12' };
    expect(await owner.client.errorCode(ADJUST, { i: adjust })).toBe('FORBIDDEN');
    expect(await platformAdmin.client.errorCode(ADJUST, { i: { ...adjust, amount: 0.1 } })).toBe('BAD_USER_INPUT');
    expect(await platformAdmin.client.errorCode(ADJUST, { i: { ...adjust, teamId: '00000000-0000-4000-8000-000000000000' } })).toBe(
      'NOT_FOUND',
    );
    expect(await newEntries([teamId, '00000000-0000-4000-8000-000000000000'])).toEqual([]);

    const { adjustCredits } = await platformAdmin.client.ok(ADJUST, { i: adjust });
    expect(await newEntries([teamId])).toEqual([
      entry({
        action: 'CREDITS_ADJUSTED',
        actor_user_id: platformAdmin.id,
        team_id: teamId,
        target_type: 'CREDIT_LEDGER_ENTRY',
        target_id: adjustCredits.entry.id,
        reason: 'goodwill, ticket 12',
        details: { amount: 2.5 },
      }),
    ]);
  });

  /** The operator CLIs, run as `npx nx run api:…` runs them, against the test database. */
  const cli = (file: string, ...args: string[]) =>
    promisify(execFile)(process.execPath, ['-r', '@swc-node/register', `apps/api/src/cli/${file}`, ...args], {
      cwd: path.join(__dirname, '..', '..', '..', '..', '..'),
      env: { ...process.env, ...t.env },
    });

  it('grant-credits (CLI) records CREDITS_ADJUSTED by an OPERATOR; a refused grant records nothing', async () => {
    await expect(cli('grant-credits.cli.ts', `--team=${teamId}`, '--amount=0.1', '--reason=x')).rejects.toMatchObject({
      stderr: /multiples of 0\.25/,
    });
    await cli('grant-credits.cli.ts', `--team=${teamId}`, '--amount=-1', '--reason=chargeback 9');
    const [ledger] = await t.sql<{ id: string }>(`SELECT id FROM credit_ledger WHERE team_id = $1 AND kind = 'ADMIN_ADJUSTMENT'`, [teamId]);
    expect(await newEntries([teamId])).toEqual([
      entry({
        action: 'CREDITS_ADJUSTED',
        actor_kind: 'OPERATOR',
        team_id: teamId,
        target_type: 'CREDIT_LEDGER_ENTRY',
        target_id: ledger.id,
        reason: 'chargeback 9',
        details: { amount: -1 },
      }),
    ]);
  }, 60_000);

  it('make-admin (CLI) records PLATFORM_ADMIN_GRANTED / REVOKED by an OPERATOR about the user, only when the flag changes', async () => {
    await expect(cli('make-admin.cli.ts', '--email=nobody.here@example.com')).rejects.toMatchObject({ stderr: /No user/ });
    await cli('make-admin.cli.ts', `--email=${member.email.toUpperCase()}`);
    await cli('make-admin.cli.ts', `--email=${member.email}`);
    await cli('make-admin.cli.ts', `--email=${member.email}`, '--revoke');
    const { stdout } = await cli('make-admin.cli.ts', `--email=${member.email}`, '--revoke');
    expect(stdout).toMatch(/already not/);
    const about = { actor_kind: 'OPERATOR', subject_user_id: member.id };
    expect(await newEntries([], [member.id])).toEqual([
      entry({ action: 'PLATFORM_ADMIN_GRANTED', ...about }),
      entry({ action: 'PLATFORM_ADMIN_REVOKED', ...about }),
    ]);
    expect(await t.sql('SELECT is_platform_admin FROM users WHERE id = $1', [member.id])).toEqual([{ is_platform_admin: false }]);
  }, 60_000);
});
