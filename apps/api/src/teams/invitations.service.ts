import { Inject, Injectable } from '@nestjs/common';
import { IsNull, MoreThan, type DataSource } from 'typeorm';
import { parseEmail } from '../accounts/email.rules';
import { UserDirectory } from '../accounts/user-directory.service';
import { badInput, conflict, forbidden, invalidToken, notFound } from '../common/errors/app-error';
import type { Connection, PageArgs } from '../common/pagination/connection.types';
import { keysetPage } from '../common/pagination/keyset-page';
import { hashSecretToken, newSecretToken } from '../common/secret-token';
import { DATA_SOURCE } from '../common/tokens';
import { retryOnDeadlock } from '../database/deadlock-retry';
import { queryRows } from '../database/query-rows';
import { assertUuid } from '../common/uuid';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { PersonalDataService } from '../crypto/personal-data.service';
import { MailOutbox } from '../mail/mail-outbox.service';
import { mailTemplates } from '../mail/mail-templates';
import { RequestLimits } from '../rate-limit/request-limits.service';
import { InvitationStatus, type InvitationOutput } from './dto/invitation.output';
import type { TeamOutput } from './dto/team.output';
import { InvitationEntity } from './entities/invitation.entity';
import { MembershipEntity } from './entities/membership.entity';
import { TeamEntity } from './entities/team.entity';
import { TeamRole } from './entities/team-role';
import { asMember, TeamAccessService, type TeamAccess } from './team-access.service';
import { mayInvite, TeamPermission } from './team-permissions';
import { TeamsService } from './teams.service';

export const INVITATION_TTL_MS = 7 * 24 * 3_600_000;

/** Invitations by email: a mailed single-use link that only the invited address can accept. */
@Injectable()
export class InvitationsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly personalData: PersonalDataService,
    private readonly teams: TeamsService,
    private readonly users: UserDirectory,
    private readonly outbox: MailOutbox,
    private readonly limits: RequestLimits,
    private readonly access: TeamAccessService,
  ) {}

  async invite(access: TeamAccess, rawEmail: string, role: TeamRole): Promise<InvitationOutput> {
    const email = parseEmail(rawEmail);
    if (role === TeamRole.OWNER) throw badInput('role', 'Invite as ADMIN or MEMBER; ownership moves with transferOwnership.');
    if (!mayInvite(asMember(access).role, role)) throw forbidden('You cannot grant that role.');
    // Against mail bombing: a team cannot mail without bound, and no address gets more than its share.
    await this.limits.perTeamInvites(access.teamId);
    await this.limits.perRecipient(email);
    const emailIndex = this.personalData.emailIndex(email);
    const { token, hash } = newSecretToken();

    // An account erasure locks invitations before teams, the other way round from this (team, then the invitation it
    // replaces): should the two ever deadlock and this be the one PostgreSQL aborts, it runs again after the erasure.
    const { invitation, teamName } = await retryOnDeadlock(() =>
      this.dataSource.transaction(async (manager) => {
        // A removal, demotion or password reset at the same moment either comes first (refused here) or waits and withdraws this one.
        const sender = await this.access.confirm(manager, access, TeamPermission.INVITE_MEMBERS);
        if (!mayInvite(sender.role, role)) throw forbidden('You cannot grant that role.');
        const team = await manager.getRepository(TeamEntity).findOneByOrFail({ id: access.teamId });
        const existingUserId = await this.users.findIdByEmail(email, manager);
        if (existingUserId && (await this.teams.isMember(access.teamId, existingUserId, manager))) {
          throw conflict('This person is already a member of the team.');
        }
        // A new invitation replaces a pending one for the same address.
        await manager
          .getRepository(InvitationEntity)
          .update({ teamId: access.teamId, emailIndex, acceptedAt: IsNull(), revokedAt: IsNull() }, { revokedAt: new Date() });
        const saved = await manager.getRepository(InvitationEntity).save({
          teamId: access.teamId,
          emailCiphertext: this.personalData.sealEmail(email).ciphertext,
          emailIndex,
          role,
          tokenHash: hash,
          invitedByUserId: sender.userId,
          expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
          acceptedAt: null,
          revokedAt: null,
        });
        return { invitation: saved, teamName: team.name };
      }),
    );

    const url = `${this.config.PUBLIC_URL}/invitations/accept?token=${encodeURIComponent(token)}`;
    this.outbox.enqueue(mailTemplates.invitation(email, teamName, role, url), 'invitation');
    return this.toOutput(invitation);
  }

  async accept(userId: string, token: string): Promise<TeamOutput> {
    const joined = await this.dataSource.transaction(async (manager) => {
      const invitation = await manager
        .getRepository(InvitationEntity)
        .createQueryBuilder('i')
        .setLock('pessimistic_write')
        .where('i.token_hash = :hash', { hash: hashSecretToken(token) })
        .getOne();
      if (!invitation) throw invalidToken();
      if (invitation.acceptedAt) throw invalidToken('This invitation has already been used.');
      if (invitation.revokedAt) throw invalidToken('This invitation was withdrawn.');
      if (invitation.expiresAt <= new Date()) throw invalidToken('This invitation has expired. Ask for a new one.');
      if (!(await this.users.hasEmailIndex(userId, invitation.emailIndex, manager)))
        throw forbidden('This invitation was sent to another email address.');
      // Its sender's authority, read now (held until this commits, so a removal or demotion waits for it or comes first).
      const [sender] = await queryRows<{ role: TeamRole }>(
        manager,
        'SELECT role FROM memberships WHERE team_id = $1 AND user_id = $2 FOR SHARE',
        [invitation.teamId, invitation.invitedByUserId],
      );
      if (!mayInvite(sender?.role ?? null, invitation.role))
        throw invalidToken('This invitation was withdrawn: the person who sent it can no longer invite to this team.');
      await this.teams.addMember(invitation.teamId, userId, invitation.role, manager);
      await manager.getRepository(InvitationEntity).update({ id: invitation.id }, { acceptedAt: new Date() });
      // An existing member keeps the role they had.
      const membership = await manager.getRepository(MembershipEntity).findOneByOrFail({ teamId: invitation.teamId, userId });
      return { teamId: invitation.teamId, role: membership.role };
    });
    return this.teams.getTeam({ teamId: joined.teamId, userId, role: joined.role });
  }

  async listPending(access: TeamAccess, args: PageArgs): Promise<Connection<InvitationOutput>> {
    const query = this.dataSource
      .getRepository(InvitationEntity)
      .createQueryBuilder('i')
      .where('i.team_id = :teamId AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now()', { teamId: access.teamId });
    return keysetPage(
      query,
      args,
      { createdAt: 'i.created_at', id: 'i.id' },
      (i) => i,
      (i) => this.toOutput(i),
    );
  }

  async findTeamIdOrThrow(invitationId: string): Promise<string> {
    assertUuid(invitationId, 'Invitation');
    const invitation = await this.dataSource.getRepository(InvitationEntity).findOneBy({ id: invitationId });
    if (!invitation) throw notFound('Invitation');
    return invitation.teamId;
  }

  async revoke(access: TeamAccess, invitationId: string): Promise<InvitationOutput> {
    const result = await this.dataSource
      .getRepository(InvitationEntity)
      .update(
        { id: invitationId, teamId: access.teamId, acceptedAt: IsNull(), revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
        { revokedAt: new Date() },
      );
    if (!result.affected) throw conflict('Only pending invitations can be withdrawn.');
    return this.toOutput(await this.dataSource.getRepository(InvitationEntity).findOneByOrFail({ id: invitationId }));
  }

  private toOutput(i: InvitationEntity): InvitationOutput {
    const status = i.acceptedAt
      ? InvitationStatus.ACCEPTED
      : i.revokedAt
        ? InvitationStatus.REVOKED
        : i.expiresAt <= new Date()
          ? InvitationStatus.EXPIRED
          : InvitationStatus.PENDING;
    return {
      id: i.id,
      teamId: i.teamId,
      email: this.personalData.openEmail(i.emailCiphertext),
      role: i.role,
      status,
      expiresAt: i.expiresAt,
      createdAt: i.createdAt,
    };
  }
}
