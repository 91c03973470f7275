import type { TeamRole } from '../graphql/generated/graphql';

/**
 * The API's permission matrix (apps/api/src/teams/team-permissions.ts) and rank rule, for people
 * (API keys never use the dashboard). The page hides or disables what a role may not do and says why.
 */
export type TeamAction = 'INVITE_MEMBERS' | 'MANAGE_MEMBERS' | 'TRANSFER_OWNERSHIP' | 'MANAGE_API_KEYS';

const MATRIX: Record<TeamAction, readonly TeamRole[]> = {
  INVITE_MEMBERS: ['OWNER', 'ADMIN'],
  MANAGE_MEMBERS: ['OWNER', 'ADMIN'],
  TRANSFER_OWNERSHIP: ['OWNER'],
  MANAGE_API_KEYS: ['OWNER', 'ADMIN'],
};

export const ROLE_LABEL: Record<TeamRole, string> = { OWNER: 'Owner', ADMIN: 'Admin', MEMBER: 'Member' };

export function may(role: TeamRole | null | undefined, action: TeamAction): boolean {
  return !!role && MATRIX[action].includes(role);
}

/** Why `role` may not do `action` (a sentence for people). */
export function whyNot(action: TeamAction): string {
  return action === 'TRANSFER_OWNERSHIP' ? 'Only owners can transfer ownership.' : 'Only owners and admins can do this.';
}

/** Owners act on anyone; admins only on non-owners and grant ADMIN or MEMBER; members on nobody. */
export function mayActOn(actor: TeamRole | null | undefined, targetRole: TeamRole, grantedRole?: TeamRole): boolean {
  if (actor === 'OWNER') return true;
  if (actor !== 'ADMIN') return false;
  return targetRole !== 'OWNER' && grantedRole !== 'OWNER';
}

/**
 * The roles `actor` may give to a member who is now `targetRole` (owners may make more owners; admins
 * may not). A personal team keeps one owner, the person it was made for: nobody else becomes one.
 */
export function grantableRoles(actor: TeamRole | null | undefined, targetRole: TeamRole, personal = false): TeamRole[] {
  if (!may(actor, 'MANAGE_MEMBERS') || !mayActOn(actor, targetRole)) return [];
  return (['OWNER', 'ADMIN', 'MEMBER'] as TeamRole[]).filter(
    (role) => mayActOn(actor, targetRole, role) && !(personal && role === 'OWNER' && targetRole !== 'OWNER'),
  );
}

/** The last owner of a team with others may not leave (nor be demoted): ownership first. */
export function isLastOwner(members: readonly { role: TeamRole }[], role: TeamRole | null | undefined): boolean {
  return role === 'OWNER' && members.filter((m) => m.role === 'OWNER').length === 1;
}
