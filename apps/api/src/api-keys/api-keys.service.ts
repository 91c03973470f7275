import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { IsNull, type DataSource, type EntityManager } from 'typeorm';
import { AccessEventsService } from '../access-events/access-events.service';
import { PasswordResetHooks } from '../accounts/password-reset.hooks';
import { notFound } from '../common/errors/app-error';
import type { Connection, PageArgs } from '../common/pagination/connection.types';
import { keysetPage } from '../common/pagination/keyset-page';
import { hashSecretToken, newSecretToken } from '../common/secret-token';
import { DATA_SOURCE } from '../common/tokens';
import { parseName } from '../common/text-rules';
import { assertUuid } from '../common/uuid';
import { queryRows } from '../database/query-rows';
import { AuditAction } from '../privacy/audit/audit-actions';
import { AuditActors, AuditLogService } from '../privacy/audit/audit-log.service';
import { MembershipEndedHooks, type EndedMembership } from '../teams/membership-ended.hooks';
import { asMember, TeamAccessService, type TeamAccess } from '../teams/team-access.service';
import { TeamPermission } from '../teams/team-permissions';
import type { ApiKeyOutput, CreatedApiKeyOutput } from './dto/api-key.output';
import { ApiKeyEntity } from './entities/api-key.entity';

export const API_KEY_PREFIX = 'ck_';
const SHOWN_PREFIX_LENGTH = API_KEY_PREFIX.length + 8;
/** How often last_used_at is written for a busy key. */
const LAST_USED_RESOLUTION_MS = 60_000;

const toOutput = (k: ApiKeyEntity): ApiKeyOutput => ({
  id: k.id,
  teamId: k.teamId,
  name: k.name,
  prefix: k.prefix,
  createdAt: k.createdAt,
  lastUsedAt: k.lastUsedAt,
  revokedAt: k.revokedAt,
});

@Injectable()
export class ApiKeysService implements OnModuleInit {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly accessEvents: AccessEventsService,
    private readonly audit: AuditLogService,
    private readonly membershipEnded: MembershipEndedHooks,
    private readonly passwordReset: PasswordResetHooks,
    private readonly teamAccess: TeamAccessService,
  ) {}

  onModuleInit(): void {
    this.membershipEnded.register((ended, manager) => this.revokeMadeBy(ended, manager));
    this.passwordReset.register((reset, manager) => this.revokeEveryKeyMadeBy(reset.userId, manager));
  }

  /**
   * A completed password reset ends every key the user made, in every team: whoever had the old password
   * (someone who signed up first with this address, say) keeps no way in. In the reset's transaction (open
   * WebSockets close once it commits), each audited as revoked by the user.
   */
  private async revokeEveryKeyMadeBy(userId: string, manager: EntityManager): Promise<void> {
    const revoked = await queryRows<{ id: string; team_id: string }>(
      manager,
      'UPDATE api_keys SET revoked_at = now() WHERE created_by_user_id = $1 AND revoked_at IS NULL RETURNING id, team_id',
      [userId],
    );
    for (const { id, team_id } of revoked) await this.keyRevoked(manager, userId, { id, teamId: team_id });
  }

  /**
   * A member removed from a team, or who left it, keeps no key of it: the keys they made there are
   * revoked in the same transaction (their open WebSockets close once it commits), each audited as
   * revoked by whoever ended the membership.
   */
  private async revokeMadeBy(ended: EndedMembership, manager: EntityManager): Promise<void> {
    const revoked = await queryRows<{ id: string }>(
      manager,
      `UPDATE api_keys SET revoked_at = now()
        WHERE team_id = $1 AND created_by_user_id = $2 AND revoked_at IS NULL RETURNING id`,
      [ended.teamId, ended.userId],
    );
    for (const { id } of revoked) await this.keyRevoked(manager, ended.actorUserId, { id, teamId: ended.teamId });
  }

  /** What follows a key's revocation in its transaction: its sockets close once it commits, and the audit entry. */
  private async keyRevoked(manager: EntityManager, actorUserId: string, key: Pick<ApiKeyEntity, 'id' | 'teamId'>): Promise<void> {
    await this.accessEvents.publish(manager, { kind: 'apiKeyRevoked', apiKeyId: key.id });
    await this.recordKeyChange(manager, actorUserId, AuditAction.API_KEY_REVOKED, key);
  }

  async create(access: TeamAccess, rawName: string): Promise<CreatedApiKeyOutput> {
    const name = parseName(rawName, 'name', 'API key names');
    asMember(access);
    const { token, hash } = newSecretToken(API_KEY_PREFIX);
    const key = await this.dataSource.transaction(async (manager) => {
      // A removal or a password reset at the same moment either comes first (refused here) or waits and revokes this key.
      const actor = await this.teamAccess.confirm(manager, access, TeamPermission.MANAGE_API_KEYS);
      const saved = await manager.getRepository(ApiKeyEntity).save({
        teamId: access.teamId,
        createdByUserId: actor.userId,
        name,
        prefix: token.slice(0, SHOWN_PREFIX_LENGTH),
        secretHash: hash,
        lastUsedAt: null,
        revokedAt: null,
      });
      await this.recordKeyChange(manager, actor.userId, AuditAction.API_KEY_CREATED, saved);
      return saved;
    });
    return { secret: token, apiKey: toOutput(key) };
  }

  list(access: TeamAccess, args: PageArgs): Promise<Connection<ApiKeyOutput>> {
    const query = this.dataSource
      .getRepository(ApiKeyEntity)
      .createQueryBuilder('k')
      .where('k.team_id = :teamId AND k.revoked_at IS NULL', { teamId: access.teamId });
    return keysetPage(query, args, { createdAt: 'k.created_at', id: 'k.id' }, (k) => k, toOutput);
  }

  async findTeamIdOrThrow(id: string): Promise<string> {
    assertUuid(id, 'API key');
    const key = await this.dataSource.getRepository(ApiKeyEntity).findOneBy({ id });
    if (!key) throw notFound('API key');
    return key.teamId;
  }

  /** Revokes the key; its open WebSockets on every replica are closed (4401) once this commits. */
  async revoke(access: TeamAccess, id: string): Promise<ApiKeyOutput> {
    await this.dataSource.transaction(async (manager) => {
      const revoked = await manager
        .getRepository(ApiKeyEntity)
        .update({ id, teamId: access.teamId, revokedAt: IsNull() }, { revokedAt: new Date() });
      if (revoked.affected) await this.keyRevoked(manager, asMember(access).userId, { id, teamId: access.teamId });
    });
    const key = await this.dataSource.getRepository(ApiKeyEntity).findOneBy({ id, teamId: access.teamId });
    if (!key) throw notFound('API key');
    return toOutput(key);
  }

  /** The audit entry of a key's creation or revocation, in its transaction (the key's id, never its name or secret). */
  private async recordKeyChange(
    manager: EntityManager,
    actorUserId: string,
    action: AuditAction,
    key: Pick<ApiKeyEntity, 'id' | 'teamId'>,
  ): Promise<void> {
    await this.audit.record(
      { action, actor: AuditActors.user(actorUserId), teamId: key.teamId, targetType: 'API_KEY', targetId: key.id },
      manager,
    );
  }

  /** The key with this id while it is not revoked: what a signed link made with it needs. */
  async findActiveById(id: string): Promise<ApiKeyEntity | null> {
    return this.dataSource.getRepository(ApiKeyEntity).findOneBy({ id, revokedAt: IsNull() });
  }

  /** The live key for a bearer secret, or null. Records when it was last used. */
  async authenticate(secret: string): Promise<ApiKeyEntity | null> {
    if (!secret.startsWith(API_KEY_PREFIX) || secret.length > 200) return null;
    const repo = this.dataSource.getRepository(ApiKeyEntity);
    const key = await repo.findOneBy({ secretHash: hashSecretToken(secret), revokedAt: IsNull() });
    if (key && (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS)) {
      await repo.update({ id: key.id }, { lastUsedAt: new Date() });
    }
    return key;
  }
}
