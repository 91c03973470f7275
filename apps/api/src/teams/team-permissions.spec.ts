import { TEAM_ROLES } from './entities/team-role';
import { mayActOn, PERMISSION_MATRIX, TeamPermission } from './team-permissions';

describe('permission matrix', () => {
  it('gives members read access and jobs only', () => {
    const memberCan = Object.entries(PERMISSION_MATRIX)
      .filter(([, rule]) => rule.roles.includes('MEMBER'))
      .map(([p]) => p)
      .sort();
    expect(memberCan).toEqual([TeamPermission.RUN_JOBS, TeamPermission.VIEW_MEMBERS, TeamPermission.VIEW_TEAM]);
  });

  it('lets API keys only view their team and run jobs', () => {
    expect(Object.entries(PERMISSION_MATRIX).filter(([, r]) => r.apiKey).map(([p]) => p)).toEqual(['VIEW_TEAM', 'RUN_JOBS']);
  });

  it('reserves ownership transfer to owners', () => {
    expect(PERMISSION_MATRIX.TRANSFER_OWNERSHIP.roles).toEqual(['OWNER']);
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
