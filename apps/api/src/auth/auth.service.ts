import { Injectable } from '@nestjs/common';
import { SessionsService } from '../accounts/sessions.service';
import { ApiKeysService } from '../api-keys/api-keys.service';
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
}
