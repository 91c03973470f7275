import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal';
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
}

/** Access of a signed-in member (role and user known). */
export interface MemberAccess extends TeamAccess {
  role: TeamRole;
  userId: string;
}

export function asMember(access: TeamAccess): MemberAccess {
  if (access.role === null || access.userId === null) throw forbidden('This operation needs a signed-in member, not an API key.');
  return access as MemberAccess;
}

/**
 * The one guard for team-scoped operations. A team the caller does not belong to is
 * NOT_FOUND (its existence is not revealed); a role too low is FORBIDDEN.
 */
@Injectable()
export class TeamAccessService {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async authorize(principal: Principal | null, teamId: string, permission: TeamPermission, manager?: EntityManager): Promise<TeamAccess> {
    if (!principal) throw unauthenticated();
    assertUuid(teamId, 'Team');
    const rule = PERMISSION_MATRIX[permission];
    if (principal.kind === 'apiKey') {
      if (principal.teamId !== teamId) throw notFound('Team');
      if (!rule.apiKey) throw forbidden('API keys cannot do this; sign in as a team admin.');
      return { teamId, role: null, userId: null };
    }
    const membership = await (manager ?? this.dataSource.manager).getRepository(MembershipEntity).findOneBy({ teamId, userId: principal.userId });
    if (!membership) throw notFound('Team');
    if (!rule.roles.includes(membership.role)) throw forbidden(`Your role (${membership.role}) does not allow this.`);
    return { teamId, role: membership.role, userId: principal.userId };
  }
}
