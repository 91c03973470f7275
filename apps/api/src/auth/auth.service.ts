import { Injectable } from '@nestjs/common';
import { SessionsService } from '../accounts/sessions.service';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { parseLinkHolder } from '../common/request-context/link-holder';
import type { Principal } from '../common/request-context/principal';
import { readBearer, readSessionCookie } from './session-cookie';

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
    if (bearer) {
      const key = await this.apiKeys.authenticate(bearer);
      return key ? { kind: 'apiKey', apiKeyId: key.id, teamId: key.teamId, userId: key.createdByUserId } : null;
    }
    const token = readSessionCookie(headers.cookie);
    if (token) {
      const session = await this.sessions.findActive(token);
      if (session) return { kind: 'user', userId: session.userId, sessionId: session.id };
    }
    return null;
  }

  /**
   * The principal a signed link was made for (its `by`, link-holder.ts) while that credential is
   * still live; null for a revoked key, a signed-out or expired session, or a malformed holder.
   */
  async resolveLinkHolder(by: string | undefined): Promise<Principal | null> {
    const holder = parseLinkHolder(by);
    if (!holder) return null;
    if (holder.kind === 'apiKey') {
      const key = await this.apiKeys.findActiveById(holder.apiKeyId);
      return key ? { kind: 'apiKey', apiKeyId: key.id, teamId: key.teamId, userId: key.createdByUserId } : null;
    }
    const session = await this.sessions.findActiveById(holder.sessionId);
    return session ? { kind: 'user', userId: session.userId, sessionId: session.id } : null;
  }
}
