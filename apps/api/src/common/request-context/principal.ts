import type { TeamAccess } from '../../teams/team-access.service';
import type { TeamPermission } from '../../teams/team-permissions';

/** Who is calling: a signed-in user, or a team's API key. */
export type Principal =
  | {
      kind: 'user';
      userId: string;
      sessionId: string;
      /** When the session expires (a WebSocket that uses it closes then: no notice is sent for an expiry). */
      expiresAt?: Date;
    }
  | { kind: 'apiKey'; apiKeyId: string; teamId: string; userId: string | null };

/**
 * WebSocket operations: team access that is checked now and again before every event the
 * operation's subscription delivers (a subscription whose access ended fails with NOT_FOUND
 * or FORBIDDEN). Team-scoped subscriptions authorise through this, never once at subscribe time.
 */
export interface LiveAccess {
  authorizeTeam(teamId: string, permission: TeamPermission): Promise<TeamAccess>;
}

export interface RequestContext {
  principal: Principal | null;
  /** Client address (behind a proxy only when TRUST_PROXY is on). */
  ip: string;
  /** Sets or clears the session cookie; absent on WebSocket operations. */
  /** Nest's container, for subscription resolvers (type-graphql calls them without an instance). */
  container?: { get<T>(cls: abstract new (...args: never[]) => T): T };
  /** Present on WebSocket operations only. */
  live?: LiveAccess;
  /** The anonymous visitor id of the `cutout_visitor` cookie, when the request (or a same-origin WebSocket's upgrade) has a valid one. */
  visitorId?: string;
  cookies?: {
    setSession(token: string, expiresAt: Date): void;
    clearSession(): void;
    /** Sets the strictly necessary `cutout_visitor` cookie (recordConsent, for a visitor without one). */
    setVisitor(visitorId: string): void;
  };
}
