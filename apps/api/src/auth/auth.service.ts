import { Injectable } from '@nestjs/common';
import type { SessionEntity } from '../accounts/entities/session.entity';
import { SessionsService } from '../accounts/sessions.service';
import type { ApiKeyEntity } from '../api-keys/entities/api-key.entity';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { parseLinkHolder } from '../common/request-context/link-holder';
import type { Principal } from '../common/request-context/principal';
import { readBearer, readSessionCookie } from './session-cookie';

/** The principal of a live API key, or null. */
const keyPrincipal = (key: ApiKeyEntity | null): Principal | null =>
  key ? { kind: 'apiKey', apiKeyId: key.id, teamId: key.teamId, userId: key.createdByUserId } : null;

/** The principal of a live session, or null. */
const sessionPrincipal = (session: SessionEntity | null): Principal | null =>
  session ? { kind: 'user', userId: session.userId, sessionId: session.id, expiresAt: session.expiresAt } : null;

/**
 * Turns request credentials into a Principal: `Authorization: Bearer ck_…` (API key)
 * wins over the session cookie. Invalid credentials give no principal (UNAUTHENTICATED
 * where an operation needs one).
 */
@Injectable()
export class AuthService {
  constructor(
    private readonly sessions: SessionsService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async resolve(headers: { cookie?: string; authorization?: string }): Promise<Principal | null> {
    const bearer = readBearer(headers.authorization);
    if (bearer) return keyPrincipal(await this.apiKeys.authenticate(bearer));
    const token = readSessionCookie(headers.cookie);
    return token ? sessionPrincipal(await this.sessions.findActive(token)) : null;
  }

  /**
   * The principal a signed link was made for (its `by`, link-holder.ts) while that credential is
   * still live; null for a revoked key, a signed-out or expired session, or a malformed holder.
   */
  async resolveLinkHolder(by: string | undefined): Promise<Principal | null> {
    const holder = parseLinkHolder(by);
    if (!holder) return null;
    if (holder.kind === 'apiKey') return keyPrincipal(await this.apiKeys.findActiveById(holder.apiKeyId));
    return sessionPrincipal(await this.sessions.findActiveById(holder.sessionId));
  }
}
