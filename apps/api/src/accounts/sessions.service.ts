import { Inject, Injectable } from '@nestjs/common';
import { IsNull, MoreThan, type DataSource, type EntityManager } from 'typeorm';
import { AccessEventsService } from '../access-events/access-events.service';
import { DATA_SOURCE } from '../common/tokens';
import { hashSecretToken, newSecretToken } from '../common/secret-token';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { SessionEntity } from './entities/session.entity';

/** Browser sessions: opaque random tokens in a cookie, stored as SHA-256, revocable, expiring. */

/** A session that can still be used: not revoked, not expired (now). */
const live = () => ({ revokedAt: IsNull(), expiresAt: MoreThan(new Date()) });
@Injectable()
export class SessionsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly accessEvents: AccessEventsService,
  ) {}

  /** A new session for the user (in the caller's transaction when given). */
  async create(
    userId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ token: string; expiresAt: Date; sessionId: string }> {
    const { token, hash } = newSecretToken();
    const expiresAt = new Date(Date.now() + this.config.SESSION_TTL_HOURS * 3_600_000);
    const session = await manager.getRepository(SessionEntity).save({ userId, tokenHash: hash, expiresAt, revokedAt: null });
    return { token, expiresAt, sessionId: session.id };
  }

  /** The live session for a cookie token, or null (unknown, expired, revoked). */
  async findActive(token: string): Promise<SessionEntity | null> {
    return this.dataSource.getRepository(SessionEntity).findOne({
      where: { tokenHash: hashSecretToken(token), ...live() },
    });
  }

  /** The session with this id while it is live (not revoked, not expired): what a signed link made in it needs. */
  async findActiveById(id: string): Promise<SessionEntity | null> {
    return this.dataSource.getRepository(SessionEntity).findOne({ where: { id, ...live() } });
  }

  /** Ends one session; its open WebSockets on every replica are closed (4401) once this commits. */
  async revoke(sessionId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(SessionEntity).update({ id: sessionId, revokedAt: IsNull() }, { revokedAt: new Date() });
      await this.accessEvents.publish(manager, { kind: 'sessionEnded', sessionId });
    });
  }

  /** Ends every session of the user (in the caller's transaction when given), open WebSockets included. */
  async revokeAllForUser(userId: string, manager?: EntityManager): Promise<void> {
    if (!manager) return this.dataSource.transaction((m) => this.revokeAllForUser(userId, m));
    await manager.getRepository(SessionEntity).update({ userId, revokedAt: IsNull() }, { revokedAt: new Date() });
    await this.accessEvents.publish(manager, { kind: 'userSessionsEnded', userId });
  }
}
