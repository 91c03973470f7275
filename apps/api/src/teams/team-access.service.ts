import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '../common/request-context/principal';
import { forbidden, notFound, unauthenticated } from '../common/errors/app-error';
import { DATA_SOURCE } from '../common/tokens';
import { assertUuid } from '../common/uuid';
import { MembershipEntity } from './entities/membership.entity';
import type { TeamRole } from './entities/team-role';
import { PERMISSION_MATRIX, type TeamPermission } from './team-permissions';

export interface TeamAccess {
  teamId: string;
  /** The caller's role; null for an API key. */
  role: TeamRole | null;
  userId: string | null;
  /** The session a signed-in member called with (confirm() checks it still holds). */
  sessionId?: string;
}

/** Access of a signed-in member (role and user known). */
export interface MemberAccess extends TeamAccess {
  role: TeamRole;
  userId: string;
}

export type RoleLookup = (teamId: string, userId: string) => Promise<TeamRole | null>;

export function asMember(access: TeamAccess): MemberAccess {
  if (access.role === null || access.userId === null) throw forbidden('This operation needs a signed-in member, not an API key.');
  return access as MemberAccess;
}

/** The member's role when it allows `permission`: NOT_FOUND for no membership (the team is not revealed), else FORBIDDEN. */
function memberRole(role: TeamRole | null, permission: TeamPermission): TeamRole {
  if (!role) throw notFound('Team');
  if (!PERMISSION_MATRIX[permission].roles.includes(role)) throw forbidden(`Your role (${role}) does not allow this.`);
  return role;
}

/**
 * The one guard for team-scoped operations. A team the caller does not belong to is
 * NOT_FOUND (its existence is not revealed); a role too low is FORBIDDEN.
 */
@Injectable()
export class TeamAccessService {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async authorize(principal: Principal | null, teamId: string, permission: TeamPermission, manager?: EntityManager): Promise<TeamAccess> {
    return this.authorizeWith(principal, teamId, permission, (t, u) => this.findRole(t, u, manager));
  }

  /** The same rule, with the member's role looked up by the caller (e.g. a WebSocket's cached membership). */
  async authorizeWith(principal: Principal | null, id: string, permission: TeamPermission, roleOf: RoleLookup): Promise<TeamAccess> {
    if (!principal) throw unauthenticated();
    const teamId = assertUuid(id, 'Team');
    const rule = PERMISSION_MATRIX[permission];
    if (principal.kind === 'apiKey') {
      if (principal.teamId !== teamId) throw notFound('Team');
      if (!rule.apiKey) throw forbidden('API keys cannot do this; sign in as a team admin.');
      return { teamId, role: null, userId: null };
    }
    const role = memberRole(await roleOf(teamId, principal.userId), permission);
    return { teamId, role, userId: principal.userId, sessionId: principal.sessionId };
  }

  /**
   * authorize()'s check again, inside the caller's transaction and under the locks that every ending of
   * the access takes too: the team row (FOR SHARE; each membership change locks it FOR UPDATE first) and
   * the caller's session (FOR SHARE; a sign-out or a password reset updates it). Between authorize() and
   * here the member may have been removed or demoted, or signed out; from here to the commit nobody can,
   * and an ending that waited sees what this transaction made (and ends it: a key, an invitation).
   * Returns the access with the role as it is now.
   */
  async confirm(manager: EntityManager, access: TeamAccess, permission: TeamPermission): Promise<MemberAccess> {
    const { userId, sessionId } = asMember(access);
    await manager.query('SELECT 1 FROM teams WHERE id = $1 FOR SHARE', [access.teamId]);
    if (sessionId) {
      const live = await manager.query('SELECT 1 FROM sessions WHERE id = $1 AND revoked_at IS NULL FOR SHARE', [sessionId]);
      if (!live.length) throw unauthenticated();
    }
    const role = memberRole(await this.findRole(access.teamId, userId, manager), permission);
    return { ...access, role, userId };
  }

  /** The user's role in the team, or null when not a member. */
  async findRole(teamId: string, userId: string, manager: EntityManager = this.dataSource.manager): Promise<TeamRole | null> {
    const membership = await manager.getRepository(MembershipEntity).findOneBy({ teamId, userId });
    return membership?.role ?? null;
  }
}
