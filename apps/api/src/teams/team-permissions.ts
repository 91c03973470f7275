import { TeamRole } from './entities/team-role';

/**
 * The permission matrix (also in docs/permissions.md). One guard — TeamAccessService —
 * checks it; services add the rank rules (who may act on whom) on top.
 */
export const TeamPermission = {
  VIEW_TEAM: 'VIEW_TEAM',
  VIEW_MEMBERS: 'VIEW_MEMBERS',
  RENAME_TEAM: 'RENAME_TEAM',
  INVITE_MEMBERS: 'INVITE_MEMBERS',
  MANAGE_MEMBERS: 'MANAGE_MEMBERS',
  TRANSFER_OWNERSHIP: 'TRANSFER_OWNERSHIP',
  MANAGE_API_KEYS: 'MANAGE_API_KEYS',
  /** Upload images, run and cancel background-removal jobs, read jobs and results. */
  RUN_JOBS: 'RUN_JOBS',
  /** Read the credit balance and follow its changes (API keys too: scripts check before submitting). */
  VIEW_CREDITS: 'VIEW_CREDITS',
  /** Read the credit ledger and usage per day. */
  VIEW_CREDIT_HISTORY: 'VIEW_CREDIT_HISTORY',
  /** Buy credit packs through Stripe Checkout (purchaseCredits). */
  BUY_CREDITS: 'BUY_CREDITS',
  /** Read the team's orders of credits (purchases). */
  VIEW_PURCHASES: 'VIEW_PURCHASES',
  /** Change how long the team's uploads, results and job records are kept (updateRetentionPolicy). */
  MANAGE_RETENTION: 'MANAGE_RETENTION',
  /** Read the team's audit log (role changes, keys, credit adjustments …). */
  VIEW_AUDIT_LOG: 'VIEW_AUDIT_LOG',
} as const;
export type TeamPermission = (typeof TeamPermission)[keyof typeof TeamPermission];

const { OWNER, ADMIN, MEMBER } = TeamRole;

export const PERMISSION_MATRIX: Record<TeamPermission, { roles: readonly TeamRole[]; apiKey: boolean }> = {
  VIEW_TEAM: { roles: [OWNER, ADMIN, MEMBER], apiKey: true },
  VIEW_MEMBERS: { roles: [OWNER, ADMIN, MEMBER], apiKey: false },
  RENAME_TEAM: { roles: [OWNER, ADMIN], apiKey: false },
  INVITE_MEMBERS: { roles: [OWNER, ADMIN], apiKey: false },
  MANAGE_MEMBERS: { roles: [OWNER, ADMIN], apiKey: false },
  TRANSFER_OWNERSHIP: { roles: [OWNER], apiKey: false },
  MANAGE_API_KEYS: { roles: [OWNER, ADMIN], apiKey: false },
  RUN_JOBS: { roles: [OWNER, ADMIN, MEMBER], apiKey: true },
  VIEW_CREDITS: { roles: [OWNER, ADMIN, MEMBER], apiKey: true },
  VIEW_CREDIT_HISTORY: { roles: [OWNER, ADMIN, MEMBER], apiKey: false },
  BUY_CREDITS: { roles: [OWNER, ADMIN], apiKey: false },
  VIEW_PURCHASES: { roles: [OWNER, ADMIN, MEMBER], apiKey: false },
  MANAGE_RETENTION: { roles: [OWNER, ADMIN], apiKey: false },
  VIEW_AUDIT_LOG: { roles: [OWNER, ADMIN], apiKey: false },
};

export const ROLE_RANK: Record<TeamRole, number> = { OWNER: 3, ADMIN: 2, MEMBER: 1 };

/**
 * Rank rule for acting on another member or granting a role: owners may do anything
 * (the last-owner rule still applies); admins only touch non-owners and grant ADMIN or MEMBER.
 */
export function mayActOn(actor: TeamRole, targetRole: TeamRole, grantedRole?: TeamRole): boolean {
  if (actor === OWNER) return true;
  if (actor !== ADMIN) return false;
  return targetRole !== OWNER && (grantedRole === undefined || grantedRole !== OWNER);
}

/**
 * Whether a member of `role` (null: not a member) may invite someone as `grantedRole`. An invitation
 * carries its sender's authority: it can be accepted only while this still holds for them.
 */
export function mayInvite(role: TeamRole | null, grantedRole: TeamRole): boolean {
  return role !== null && PERMISSION_MATRIX.INVITE_MEMBERS.roles.includes(role) && mayActOn(role, MEMBER, grantedRole);
}

/** The roles an invitation can grant (ownership moves only by transfer). */
export const INVITABLE_ROLES: readonly TeamRole[] = [ADMIN, MEMBER];
