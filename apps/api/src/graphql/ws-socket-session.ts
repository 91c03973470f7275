import type { AccessEvent } from '../access-events/access-events.service';
import type { LiveAccess, Principal } from '../common/request-context/principal';
import type { TeamRole } from '../teams/entities/team-role';
import type { RoleLookup, TeamAccess } from '../teams/team-access.service';
import type { TeamPermission } from '../teams/team-permissions';
import { LiveStream } from './ws-live-stream';

/** graphql-ws close code of a socket whose credential (API key, session) is gone. */
export const WS_CLOSE_UNAUTHORIZED = 4401;
/** Even without a notice, a cached principal or membership is re-read this often (a session's expiry has its own timer). */
const CACHE_TTL_MS = 60_000;

export interface Credentials {
  cookie?: string;
  authorization?: string;
}

export interface WsSessionDeps {
  resolvePrincipal(credentials: Credentials): Promise<Principal | null>;
  access: {
    authorizeWith(principal: Principal | null, teamId: string, permission: TeamPermission, roleOf: RoleLookup): Promise<TeamAccess>;
    findRole(teamId: string, userId: string): Promise<TeamRole | null>;
  };
}

/**
 * What one WebSocket knows about its caller: the principal and its team roles, cached and
 * re-validated for every event delivered. The cache is dropped by access events (a key revoked,
 * a session ended, a membership changed — from any replica, through PostgreSQL NOTIFY) and
 * at most a minute old otherwise. A socket whose credential is gone is closed with 4401; a
 * subscription whose team access ended fails with the guard's error (NOT_FOUND, FORBIDDEN).
 */
export class WsSocketSession {
  private principal: Principal | null;
  private principalAt = Date.now();
  private principalGeneration = 0;
  private readonly roles = new Map<string, { role: TeamRole | null; at: number }>();
  private roleGeneration = 0;
  private readonly streams = new Set<LiveStream<unknown>>();
  private readonly subscriptionIds = new Set<string>();
  private closed = false;
  private expiry?: NodeJS.Timeout;

  constructor(
    private readonly credentials: Credentials,
    initial: Principal | null,
    private readonly deps: WsSessionDeps,
    private readonly closeSocket: (code: number, reason: string) => void,
  ) {
    this.principal = initial;
    this.watchExpiry();
  }

  /** The caller now, or null (anonymous, or the socket was just closed because its credential is gone). */
  async currentPrincipal(): Promise<Principal | null> {
    const cached = this.principal;
    if (!cached || Date.now() - this.principalAt < CACHE_TTL_MS) return cached;
    const generation = this.principalGeneration;
    const fresh = await this.deps.resolvePrincipal(this.credentials);
    if (!fresh) {
      this.close(WS_CLOSE_UNAUTHORIZED, 'Unauthorized');
      return null;
    }
    if (generation === this.principalGeneration) {
      this.principal = fresh;
      this.principalAt = Date.now();
      this.watchExpiry();
    }
    return fresh;
  }

  /** A new operation's access: every team check it makes is repeated before each of its events. */
  operation(): LiveOperation {
    return new LiveOperation(this);
  }

  async authorizeTeam(teamId: string, permission: TeamPermission): Promise<TeamAccess> {
    const principal = await this.currentPrincipal();
    return this.deps.access.authorizeWith(principal, teamId, permission, (t, u) => this.role(t, u));
  }

  /** Wraps a subscription's result stream so that each event is delivered only while access holds. */
  track<T>(source: AsyncIterable<T>, operation: LiveOperation): AsyncIterableIterator<T> {
    const stream = new LiveStream<T>(
      source[Symbol.asyncIterator](),
      () => operation.recheck(),
      () => this.streams.delete(stream as LiveStream<unknown>),
    );
    this.streams.add(stream as LiveStream<unknown>);
    return stream;
  }

  /** Counts an open subscription; false when the socket already has `max`. */
  reserveSubscription(id: string, max: number): boolean {
    if (this.subscriptionIds.size >= max) return false;
    this.subscriptionIds.add(id);
    return true;
  }

  releaseSubscription(id: string): void {
    this.subscriptionIds.delete(id);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Reacts to an access event from any replica: drops what it touches from the cache, then re-checks at once. */
  onAccessEvent(event: AccessEvent): void {
    const p = this.principal;
    if (this.closed || !p) return;
    const touchesCredential =
      event.kind === 'resync' ||
      (event.kind === 'apiKeyRevoked' && p.kind === 'apiKey' && p.apiKeyId === event.apiKeyId) ||
      (event.kind === 'sessionEnded' && p.kind === 'user' && p.sessionId === event.sessionId) ||
      (event.kind === 'userSessionsEnded' && p.kind === 'user' && p.userId === event.userId);
    const touchesMembership =
      event.kind === 'resync' || (event.kind === 'membershipChanged' && p.kind === 'user' && p.userId === event.userId);
    if (touchesCredential) {
      this.principalAt = 0;
      this.principalGeneration++;
    }
    if (touchesMembership) {
      if (event.kind === 'membershipChanged') this.roles.delete(event.teamId);
      else this.roles.clear();
      this.roleGeneration++;
    }
    if (touchesCredential || touchesMembership) void this.recheckAll();
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.expiry);
    for (const stream of this.streams) stream.end();
    this.closeSocket(code, reason);
  }

  /**
   * A session ends at its expiry without a notice: then the caller is read again (and the socket closed with 4401
   * when the session is gone), not up to CACHE_TTL_MS later. Re-armed whenever the principal is read again.
   */
  private watchExpiry(): void {
    clearTimeout(this.expiry);
    const p = this.principal;
    if (p?.kind !== 'user' || !p.expiresAt) return;
    const wait = Math.min(Math.max(0, p.expiresAt.getTime() - Date.now()), 2 ** 31 - 1);
    this.expiry = setTimeout(() => this.onAccessEvent({ kind: 'sessionEnded', sessionId: p.sessionId }), wait);
    this.expiry.unref();
  }

  private async recheckAll(): Promise<void> {
    try {
      await this.currentPrincipal();
      await Promise.all([...this.streams].map((s) => s.recheckNow()));
    } catch {
      // A database hiccup: the next event re-checks again.
    }
  }

  private async role(teamId: string, userId: string): Promise<TeamRole | null> {
    const cached = this.roles.get(teamId);
    if (cached && Date.now() - cached.at < CACHE_TTL_MS) return cached.role;
    const generation = this.roleGeneration;
    const role = await this.deps.access.findRole(teamId, userId);
    // A change noticed while reading may have made this answer stale: use it once, do not cache it.
    if (generation === this.roleGeneration) this.roles.set(teamId, { role, at: Date.now() });
    return role;
  }
}

/** One operation's team checks, for LiveAccess. */
export class LiveOperation implements LiveAccess {
  private readonly checks: { teamId: string; permission: TeamPermission }[] = [];

  constructor(private readonly session: WsSocketSession) {}

  /** The operation's result stream, delivering each event only while access holds. */
  stream<T>(source: AsyncIterable<T>): AsyncIterableIterator<T> {
    return this.session.track(source, this);
  }

  async authorizeTeam(teamId: string, permission: TeamPermission): Promise<TeamAccess> {
    const access = await this.session.authorizeTeam(teamId, permission);
    this.checks.push({ teamId, permission });
    return access;
  }

  /** False when the socket closed (its credential is gone); throws the guard's error when team access ended. */
  async recheck(): Promise<boolean> {
    if ((await this.session.currentPrincipal()) === null && this.session.isClosed) return false;
    for (const { teamId, permission } of this.checks) await this.session.authorizeTeam(teamId, permission);
    return !this.session.isClosed;
  }
}
