/** Who is calling: a signed-in user, or a team's API key. */
export type Principal =
  | { kind: 'user'; userId: string; sessionId: string }
  | { kind: 'apiKey'; apiKeyId: string; teamId: string; userId: string | null };

export interface RequestContext {
  principal: Principal | null;
  /** Client address (behind a proxy only when TRUST_PROXY is on). */
  ip: string;
  /** Sets or clears the session cookie; absent on WebSocket operations. */
  /** Nest's container, for subscription resolvers (type-graphql calls them without an instance). */
  container?: { get<T>(cls: abstract new (...args: never[]) => T): T };
  cookies?: {
    setSession(token: string, expiresAt: Date): void;
    clearSession(): void;
  };
}
