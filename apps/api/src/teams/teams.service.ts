import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { AccessEventsService } from '../access-events/access-events.service';
import type { Principal } from '../common/request-context/principal';
import { badInput, conflict, forbidden, notFound } from '../common/errors/app-error';
import type { Connection, PageArgs } from '../common/pagination/connection.types';
import { keysetPage } from '../common/pagination/keyset-page';
import { DATA_SOURCE } from '../common/tokens';
import { assertUuid } from '../common/uuid';
import { PersonalDataService } from '../crypto/personal-data.service';
import { queryRows } from '../database/query-rows';
import { AuditAction } from '../privacy/audit/audit-actions';
import { AuditActors, AuditLogService } from '../privacy/audit/audit-log.service';
import type { TeamMemberOutput, TeamOutput } from './dto/team.output';
import { MembershipEntity } from './entities/membership.entity';
import { TeamEntity } from './entities/team.entity';
import { TeamRole } from './entities/team-role';
import { MembershipEndedHooks } from './membership-ended.hooks';
import { asMember, TeamAccessService, type TeamAccess } from './team-access.service';
import { INVITABLE_ROLES, mayActOn, mayInvite, TeamPermission } from './team-permissions';
import { parseTeamName } from './team-name.rules';

const toTeamOutput = (team: TeamEntity, viewerRole: TeamRole | null): TeamOutput => ({
  id: team.id,
  name: team.name,
  personal: team.isPersonal,
  createdAt: team.createdAt,
  viewerRole,
});

/**
 * A personal team belongs to the person it was made for: they are its only owner, so it is erased
 * and exported with them and nobody else (teams.personal-data.ts reads "personal and OWNER" as that).
 */
const PERSONAL_TEAM_OWNER = 'A personal team has one owner, the person it was made for: create a team to share ownership.';

/** Teams and memberships. Every change that could leave a team ownerless locks the team row first. */
@Injectable()
export class TeamsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly personalData: PersonalDataService,
    private readonly accessEvents: AccessEventsService,
    private readonly audit: AuditLogService,
    private readonly membershipEnded: MembershipEndedHooks,
    private readonly access: TeamAccessService,
  ) {}

  async createPersonalTeam(userId: string, manager: EntityManager): Promise<TeamEntity> {
    return this.createWithOwner('Personal', userId, true, manager);
  }

  async createTeam(userId: string, rawName: string): Promise<TeamOutput> {
    const name = parseTeamName(rawName);
    const team = await this.dataSource.transaction((manager) => this.createWithOwner(name, userId, false, manager));
    return toTeamOutput(team, TeamRole.OWNER);
  }

  async renameTeam(access: TeamAccess, rawName: string): Promise<TeamOutput> {
    const name = parseTeamName(rawName);
    await this.dataSource.getRepository(TeamEntity).update({ id: access.teamId }, { name });
    return this.getTeam(access);
  }

  async getTeam(access: TeamAccess): Promise<TeamOutput> {
    const team = await this.dataSource.getRepository(TeamEntity).findOneBy({ id: access.teamId });
    if (!team) throw notFound('Team');
    return toTeamOutput(team, access.role);
  }

  /** The caller's teams: a user's memberships, or an API key's single team. */
  async listTeams(principal: Principal, args: PageArgs): Promise<Connection<TeamOutput>> {
    if (principal.kind === 'apiKey') {
      const query = this.dataSource.getRepository(TeamEntity).createQueryBuilder('t').where('t.id = :id', { id: principal.teamId });
      return keysetPage(
        query,
        args,
        { createdAt: 't.created_at', id: 't.id' },
        (t) => t,
        (t) => toTeamOutput(t, null),
      );
    }
    const roles = new Map(
      (await this.dataSource.getRepository(MembershipEntity).findBy({ userId: principal.userId })).map((m) => [m.teamId, m.role]),
    );
    const query = this.dataSource
      .getRepository(TeamEntity)
      .createQueryBuilder('t')
      .innerJoin(MembershipEntity, 'm', 'm.team_id = t.id AND m.user_id = :userId', { userId: principal.userId });
    return keysetPage(
      query,
      args,
      { createdAt: 't.created_at', id: 't.id' },
      (t) => t,
      (t) => toTeamOutput(t, roles.get(t.id) ?? null),
    );
  }

  async listMembers(teamId: string, args: PageArgs): Promise<Connection<TeamMemberOutput>> {
    const query = this.dataSource
      .getRepository(MembershipEntity)
      .createQueryBuilder('m')
      .innerJoinAndSelect('m.user', 'u')
      .where('m.team_id = :teamId', { teamId });
    return keysetPage(
      query,
      args,
      { createdAt: 'm.created_at', id: 'm.user_id' },
      (m) => ({ createdAt: m.createdAt, id: m.userId }),
      (m) => this.toMemberOutput(m),
    );
  }

  async addMember(teamId: string, userId: string, role: TeamRole, manager: EntityManager): Promise<void> {
    await manager.query('INSERT INTO memberships (team_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
      teamId,
      userId,
      role,
    ]);
  }

  async isMember(teamId: string, userId: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    return manager.getRepository(MembershipEntity).existsBy({ teamId, userId });
  }

  async changeMemberRole(access: TeamAccess, userId: string, role: TeamRole): Promise<TeamMemberOutput> {
    assertUuid(userId, 'Member');
    await this.dataSource.transaction(async (manager) => {
      const { member: target, personal } = await this.lockTeamAndFindMember(manager, access.teamId, userId);
      const actor = await this.access.confirm(manager, access, TeamPermission.MANAGE_MEMBERS);
      if (!mayActOn(actor.role, target.role, role)) throw forbidden('Admins cannot change owners or grant ownership.');
      if (role === TeamRole.OWNER && target.role !== TeamRole.OWNER && personal) throw badInput('role', PERSONAL_TEAM_OWNER);
      if (target.role === TeamRole.OWNER && role !== TeamRole.OWNER) await this.assertAnotherOwner(manager, access.teamId, userId);
      await manager.getRepository(MembershipEntity).update({ teamId: access.teamId, userId }, { role });
      await this.membershipChanged(manager, access.teamId, userId);
      if (target.role !== role) {
        await this.recordMemberChange(manager, actor.userId, AuditAction.MEMBER_ROLE_CHANGED, target, { from: target.role, to: role });
      }
    });
    return this.findMemberOrThrow(access.teamId, userId);
  }

  async removeMember(access: TeamAccess, userId: string): Promise<TeamOutput> {
    assertUuid(userId, 'Member');
    await this.dataSource.transaction(async (manager) => {
      const { member: target } = await this.lockTeamAndFindMember(manager, access.teamId, userId);
      const actor = await this.access.confirm(manager, access, TeamPermission.MANAGE_MEMBERS);
      if (!mayActOn(actor.role, target.role)) throw forbidden('Admins cannot remove owners.');
      if (target.role === TeamRole.OWNER) await this.assertAnotherOwner(manager, access.teamId, userId);
      await manager.getRepository(MembershipEntity).delete({ teamId: access.teamId, userId });
      await this.membershipEnded.run({ teamId: access.teamId, userId, actorUserId: actor.userId }, manager);
      await this.membershipChanged(manager, access.teamId, userId);
      await this.recordMemberChange(manager, actor.userId, AuditAction.MEMBER_REMOVED, target, { role: target.role });
    });
    return this.getTeam(access);
  }

  async leaveTeam(access: TeamAccess): Promise<boolean> {
    await this.dataSource.transaction(async (manager) => {
      const { member: me } = await this.lockTeamAndFindMember(manager, access.teamId, asMember(access).userId);
      if (me.role === TeamRole.OWNER) await this.assertAnotherOwner(manager, access.teamId, me.userId);
      await manager.getRepository(MembershipEntity).delete({ teamId: access.teamId, userId: me.userId });
      await this.membershipEnded.run({ teamId: access.teamId, userId: me.userId, actorUserId: me.userId }, manager);
      await this.membershipChanged(manager, access.teamId, me.userId);
      await this.recordMemberChange(manager, me.userId, AuditAction.MEMBER_LEFT, me, { role: me.role });
    });
    return true;
  }

  async transferOwnership(access: TeamAccess, userId: string): Promise<TeamOutput> {
    assertUuid(userId, 'Member');
    const actor = asMember(access);
    if (userId === actor.userId) throw badInput('userId', 'You already own this team.');
    await this.dataSource.transaction(async (manager) => {
      const { member: target, personal } = await this.lockTeamAndFindMember(manager, access.teamId, userId);
      await this.access.confirm(manager, access, TeamPermission.TRANSFER_OWNERSHIP);
      if (personal) throw badInput('teamId', PERSONAL_TEAM_OWNER);
      const memberships = manager.getRepository(MembershipEntity);
      await memberships.update({ teamId: access.teamId, userId }, { role: TeamRole.OWNER });
      await memberships.update({ teamId: access.teamId, userId: actor.userId }, { role: TeamRole.ADMIN });
      await this.membershipChanged(manager, access.teamId, userId);
      await this.membershipChanged(manager, access.teamId, actor.userId);
      // The subject is the new owner; the actor (the former owner) is now an ADMIN.
      await this.recordMemberChange(manager, actor.userId, AuditAction.OWNERSHIP_TRANSFERRED, target, {
        from: target.role,
        to: TeamRole.OWNER,
        formerOwnerRole: TeamRole.ADMIN,
      });
    });
    return this.getTeam({ ...access, role: TeamRole.ADMIN });
  }

  private async findMemberOrThrow(teamId: string, userId: string): Promise<TeamMemberOutput> {
    const m = await this.dataSource.getRepository(MembershipEntity).findOne({ where: { teamId, userId }, relations: { user: true } });
    if (!m) throw notFound('Member');
    return this.toMemberOutput(m);
  }

  private toMemberOutput(m: MembershipEntity): TeamMemberOutput {
    if (!m.user) throw new Error('membership loaded without its user');
    return { userId: m.userId, email: this.personalData.openEmail(m.user.emailCiphertext), role: m.role, joinedAt: m.createdAt };
  }

  private async createWithOwner(name: string, userId: string, isPersonal: boolean, manager: EntityManager): Promise<TeamEntity> {
    const team = await manager.getRepository(TeamEntity).save({ name, isPersonal });
    await this.addMember(team.id, userId, TeamRole.OWNER, manager);
    return team;
  }

  /**
   * After a member's role changed or their membership ended (in its transaction): the invitations
   * they sent that they could no longer send are withdrawn (an invitation carries its sender's
   * authority; accept checks it again), and their open WebSockets, on every replica, re-check
   * their access once this commits.
   */
  private async membershipChanged(manager: EntityManager, teamId: string, userId: string): Promise<void> {
    const [now] = await queryRows<{ role: TeamRole }>(manager, 'SELECT role FROM memberships WHERE team_id = $1 AND user_id = $2', [
      teamId,
      userId,
    ]);
    const beyond = INVITABLE_ROLES.filter((role) => !mayInvite(now?.role ?? null, role));
    if (beyond.length)
      await manager.query(
        `UPDATE invitations SET revoked_at = now()
          WHERE team_id = $1 AND invited_by_user_id = $2 AND accepted_at IS NULL AND revoked_at IS NULL AND role = ANY($3::text[])`,
        [teamId, userId, beyond],
      );
    await this.accessEvents.publish(manager, { kind: 'membershipChanged', teamId, userId });
  }

  /**
   * A completed password reset (in its transaction): the invitations the user sent that are still pending,
   * in every team, are withdrawn, so whoever had the old password cannot let anyone in with one after it.
   */
  async withdrawInvitationsSentBy(userId: string, manager: EntityManager): Promise<void> {
    await manager.query(
      'UPDATE invitations SET revoked_at = now() WHERE invited_by_user_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL',
      [userId],
    );
  }

  /** The audit entry of a membership change, in its transaction (details: roles only, no personal data). */
  private async recordMemberChange(
    manager: EntityManager,
    actorUserId: string,
    action: AuditAction,
    member: MembershipEntity,
    details: Record<string, string>,
  ): Promise<void> {
    await this.audit.record(
      { action, actor: AuditActors.user(actorUserId), teamId: member.teamId, subjectUserId: member.userId, details },
      manager,
    );
  }

  /** Locks the team row (FOR UPDATE) and finds the member; `personal`: whether it is a personal team. */
  private async lockTeamAndFindMember(
    manager: EntityManager,
    teamId: string,
    userId: string,
  ): Promise<{ member: MembershipEntity; personal: boolean }> {
    const [team] = await queryRows<{ personal: boolean }>(manager, 'SELECT is_personal AS personal FROM teams WHERE id = $1 FOR UPDATE', [
      teamId,
    ]);
    const member = await manager.getRepository(MembershipEntity).findOneBy({ teamId, userId });
    if (!member) throw notFound('Member');
    return { member, personal: team?.personal === true };
  }

  private async assertAnotherOwner(manager: EntityManager, teamId: string, leavingUserId: string): Promise<void> {
    const owners = await manager.getRepository(MembershipEntity).findBy({ teamId, role: TeamRole.OWNER });
    if (!owners.some((o) => o.userId !== leavingUserId)) {
      throw conflict('A team needs at least one owner: transfer ownership or promote another owner first.');
    }
  }
}
