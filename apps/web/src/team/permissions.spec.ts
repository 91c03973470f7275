import { grantableRoles, isLastOwner, may, mayActOn } from './permissions';

describe('team permissions (mirror of the API matrix and rank rule)', () => {
  it('lets owners and admins invite, manage members and keys; only owners transfer ownership', () => {
    expect(may('OWNER', 'INVITE_MEMBERS')).toBe(true);
    expect(may('ADMIN', 'MANAGE_API_KEYS')).toBe(true);
    expect(may('MEMBER', 'INVITE_MEMBERS')).toBe(false);
    expect(may('MEMBER', 'MANAGE_API_KEYS')).toBe(false);
    expect(may('ADMIN', 'TRANSFER_OWNERSHIP')).toBe(false);
    expect(may('OWNER', 'TRANSFER_OWNERSHIP')).toBe(true);
    expect(may(null, 'INVITE_MEMBERS')).toBe(false);
  });

  it('applies the rank rule: admins never touch owners nor grant ownership', () => {
    expect(mayActOn('ADMIN', 'OWNER')).toBe(false);
    expect(mayActOn('ADMIN', 'MEMBER', 'ADMIN')).toBe(true);
    expect(mayActOn('ADMIN', 'MEMBER', 'OWNER')).toBe(false);
    expect(mayActOn('MEMBER', 'MEMBER')).toBe(false);
    expect(grantableRoles('OWNER', 'MEMBER')).toEqual(['OWNER', 'ADMIN', 'MEMBER']);
    expect(grantableRoles('ADMIN', 'MEMBER')).toEqual(['ADMIN', 'MEMBER']);
    expect(grantableRoles('ADMIN', 'OWNER')).toEqual([]);
    expect(grantableRoles('MEMBER', 'MEMBER')).toEqual([]);
  });

  it('never offers to make a member the owner of a personal team (the API refuses it)', () => {
    expect(grantableRoles('OWNER', 'MEMBER', true)).toEqual(['ADMIN', 'MEMBER']);
    expect(grantableRoles('OWNER', 'ADMIN', true)).toEqual(['ADMIN', 'MEMBER']);
    expect(grantableRoles('ADMIN', 'MEMBER', true)).toEqual(['ADMIN', 'MEMBER']);
  });

  it('knows the last owner', () => {
    expect(isLastOwner([{ role: 'OWNER' }, { role: 'MEMBER' }], 'OWNER')).toBe(true);
    expect(isLastOwner([{ role: 'OWNER' }, { role: 'OWNER' }], 'OWNER')).toBe(false);
    expect(isLastOwner([{ role: 'OWNER' }], 'ADMIN')).toBe(false);
  });
});
