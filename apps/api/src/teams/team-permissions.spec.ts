import type { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '../common/request-context/principal';
import { AppError } from '../common/errors/app-error';
import { TEAM_ROLES, type TeamRole } from './entities/team-role';
import { TeamAccessService } from './team-access.service';
import { mayActOn, PERMISSION_MATRIX, TeamPermission } from './team-permissions';

const TEAM = '11111111-1111-4111-8111-111111111111';
const OTHER_TEAM = '22222222-2222-4222-8222-222222222222';
const userOf = (role: TeamRole) => `00000000-0000-4000-8000-00000000000${TEAM_ROLES.indexOf(role) + 1}`;
const OUTSIDER = '00000000-0000-4000-8000-000000000009';

/** A manager whose memberships table holds the given rows. */
function fakeManager(rows: { teamId: string; userId: string; role: TeamRole }[]): EntityManager {
  const repository = {
    findOneBy: async (where: { teamId: string; userId: string }) =>
      rows.find((r) => r.teamId === where.teamId && r.userId === where.userId) ?? null,
  };
  return { getRepository: () => repository } as unknown as EntityManager;
}

const user = (userId: string): Principal => ({ kind: 'user', userId, sessionId: 's' });
const key = (teamId: string): Principal => ({ kind: 'apiKey', apiKeyId: 'k', teamId, userId: null });

/** The README's matrix, written out by hand: who may do what (KEY = the team's API key). */
const README_MATRIX: Record<TeamPermission, readonly (TeamRole | 'KEY')[]> = {
  VIEW_TEAM: ['OWNER', 'ADMIN', 'MEMBER', 'KEY'],
  VIEW_MEMBERS: ['OWNER', 'ADMIN', 'MEMBER'],
  RENAME_TEAM: ['OWNER', 'ADMIN'],
  INVITE_MEMBERS: ['OWNER', 'ADMIN'],
  MANAGE_MEMBERS: ['OWNER', 'ADMIN'],
  TRANSFER_OWNERSHIP: ['OWNER'],
  MANAGE_API_KEYS: ['OWNER', 'ADMIN'],
  RUN_JOBS: ['OWNER', 'ADMIN', 'MEMBER', 'KEY'],
  VIEW_CREDITS: ['OWNER', 'ADMIN', 'MEMBER', 'KEY'],
  VIEW_CREDIT_HISTORY: ['OWNER', 'ADMIN', 'MEMBER'],
  BUY_CREDITS: ['OWNER', 'ADMIN'],
  VIEW_PURCHASES: ['OWNER', 'ADMIN', 'MEMBER'],
  MANAGE_RETENTION: ['OWNER', 'ADMIN'],
  VIEW_AUDIT_LOG: ['OWNER', 'ADMIN'],
};

async function outcome(
  service: TeamAccessService,
  principal: Principal | null,
  permission: TeamPermission,
  teamId = TEAM,
): Promise<string> {
  try {
    const access = await service.authorize(principal, teamId, permission);
    return `ok ${access.teamId === teamId ? 'team' : access.teamId} ${access.role ?? 'key'} ${access.userId ?? '-'}`;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

describe('permission matrix', () => {
  it('is the README’s matrix', () => {
    for (const permission of Object.values(TeamPermission)) {
      const rule = PERMISSION_MATRIX[permission];
      expect([permission, [...rule.roles, ...(rule.apiKey ? ['KEY'] : [])]]).toEqual([permission, README_MATRIX[permission]]);
    }
  });

  it('applies rank rules', () => {
    for (const target of TEAM_ROLES) expect(mayActOn('OWNER', target, 'OWNER')).toBe(true);
    expect(mayActOn('ADMIN', 'MEMBER', 'ADMIN')).toBe(true);
    expect(mayActOn('ADMIN', 'ADMIN')).toBe(true);
    expect(mayActOn('ADMIN', 'OWNER')).toBe(false);
    expect(mayActOn('ADMIN', 'MEMBER', 'OWNER')).toBe(false);
    expect(mayActOn('MEMBER', 'MEMBER')).toBe(false);
  });
});

describe('TeamAccessService.authorize (the one guard)', () => {
  const members = TEAM_ROLES.map((role) => ({ teamId: TEAM, userId: userOf(role), role }));
  // The outsider belongs to another team only.
  const manager = fakeManager([...members, { teamId: OTHER_TEAM, userId: OUTSIDER, role: 'OWNER' }]);
  const service = new TeamAccessService({ manager } as unknown as DataSource);

  for (const permission of Object.values(TeamPermission)) {
    it(`${permission}: members by role, the team's key, outsiders and anonymous callers`, async () => {
      const allowed = README_MATRIX[permission];
      for (const role of TEAM_ROLES) {
        expect([role, await outcome(service, user(userOf(role)), permission)]).toEqual([
          role,
          allowed.includes(role) ? `ok team ${role} ${userOf(role)}` : 'FORBIDDEN',
        ]);
      }
      expect(['key', await outcome(service, key(TEAM), permission)]).toEqual([
        'key',
        allowed.includes('KEY') ? 'ok team key -' : 'FORBIDDEN',
      ]);
      // Outside the team: NOT_FOUND whatever the permission (the team's existence is not revealed).
      expect(await outcome(service, user(OUTSIDER), permission)).toBe('NOT_FOUND');
      expect(await outcome(service, key(OTHER_TEAM), permission)).toBe('NOT_FOUND');
      expect(await outcome(service, null, permission)).toBe('UNAUTHENTICATED');
    });
  }

  it('refuses anonymous callers before looking at the team id, and treats a malformed id as an unknown team', async () => {
    expect(await outcome(service, null, TeamPermission.VIEW_TEAM, 'not-a-uuid')).toBe('UNAUTHENTICATED');
    expect(await outcome(service, user(userOf('OWNER')), TeamPermission.VIEW_TEAM, 'not-a-uuid')).toBe('NOT_FOUND');
    expect(await outcome(service, key(TEAM), TeamPermission.VIEW_TEAM, 'not-a-uuid')).toBe('NOT_FOUND');
  });

  it('reads the membership through the given transaction manager', async () => {
    // Inside a transaction the member has just been promoted; outside, the old role still shows.
    const inTransaction = fakeManager([{ teamId: TEAM, userId: userOf('MEMBER'), role: 'ADMIN' }]);
    const access = await service.authorize(user(userOf('MEMBER')), TEAM, TeamPermission.RENAME_TEAM, inTransaction);
    expect(access).toEqual({ teamId: TEAM, role: 'ADMIN', userId: userOf('MEMBER'), sessionId: 's' });
    expect(await outcome(service, user(userOf('MEMBER')), TeamPermission.RENAME_TEAM)).toBe('FORBIDDEN');
  });
});
