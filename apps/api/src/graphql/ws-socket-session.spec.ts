import type { Principal } from '../common/request-context/principal';
import { AppError } from '../common/errors/app-error';
import type { TeamRole } from '../teams/entities/team-role';
import { TeamAccessService } from '../teams/team-access.service';
import { TeamPermission } from '../teams/team-permissions';
import { WsSocketSession } from './ws-socket-session';

const TEAM = '6f1c1b8e-7d1a-4c47-9f61-3b7a0f1f2a10';
const user: Principal = { kind: 'user', userId: 'u1', sessionId: 's1' };

/** A socket session over the real guard, with the database answers (principal, role) in memory. */
function aSession(role: TeamRole | null = 'MEMBER') {
  const state = { principal: user as Principal | null, role, roleReads: 0, principalReads: 0, closed: [] as number[] };
  const guard = new TeamAccessService(undefined as never);
  const session = new WsSocketSession(
    {},
    user,
    {
      resolvePrincipal: async () => (state.principalReads++, state.principal),
      access: {
        authorizeWith: (p, t, perm, roleOf) => guard.authorizeWith(p, t, perm, roleOf),
        findRole: async () => (state.roleReads++, state.role),
      },
    },
    (code) => state.closed.push(code),
  );
  return { session, state };
}

/** An event source the test pushes into. */
function aSource() {
  const pending: ((r: IteratorResult<number>) => void)[] = [];
  const source: AsyncIterable<number> = { [Symbol.asyncIterator]: () => ({ next: () => new Promise((resolve) => pending.push(resolve)) }) };
  return { source, push: (value: number) => pending.shift()?.({ value, done: false }) };
}

describe('WsSocketSession', () => {
  it('re-checks every event against the cached membership: one read for many events', async () => {
    const { session, state } = aSession();
    const operation = session.operation();
    await operation.authorizeTeam(TEAM, TeamPermission.RUN_JOBS);
    const { source, push } = aSource();
    const stream = operation.stream(source);
    for (const value of [1, 2, 3]) {
      const next = stream.next();
      push(value);
      expect(await next).toEqual({ value, done: false });
    }
    expect(state.roleReads).toBe(1);
    expect(state.principalReads).toBe(0);
  });

  it('after a membership notice for its user, re-reads the role and fails the stream with NOT_FOUND instead of delivering', async () => {
    const { session, state } = aSession();
    const operation = session.operation();
    await operation.authorizeTeam(TEAM, TeamPermission.RUN_JOBS);
    const { source, push } = aSource();
    const stream = operation.stream(source);
    // The membership row is gone; a notice about another user does not drop this socket's cache.
    state.role = null;
    session.onAccessEvent({ kind: 'membershipChanged', teamId: TEAM, userId: 'someone-else' });
    const next = stream.next();
    push(1);
    expect(await next).toEqual({ value: 1, done: false }); // not this user's membership: still cached
    session.onAccessEvent({ kind: 'membershipChanged', teamId: TEAM, userId: 'u1' });
    await expect(stream.next()).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  it('closes the socket with 4401 when a notice shows its credential is gone, and ends its streams without an event', async () => {
    const { session, state } = aSession();
    const operation = session.operation();
    await operation.authorizeTeam(TEAM, TeamPermission.RUN_JOBS);
    const stream = operation.stream(aSource().source);
    const next = stream.next();
    state.principal = null;
    session.onAccessEvent({ kind: 'sessionEnded', sessionId: 's1' });
    expect(await next).toEqual({ value: undefined, done: true });
    expect(state.closed).toEqual([4401]);
  });

  it('ignores notices about other credentials', async () => {
    const { session, state } = aSession();
    session.onAccessEvent({ kind: 'sessionEnded', sessionId: 'other' });
    session.onAccessEvent({ kind: 'apiKeyRevoked', apiKeyId: 's1' });
    session.onAccessEvent({ kind: 'userSessionsEnded', userId: 'u2' });
    expect(await session.currentPrincipal()).toEqual(user);
    expect(state.principalReads).toBe(0);
    expect(state.closed).toEqual([]);
  });

  it('fails a stream with FORBIDDEN when a role change removed the permission', async () => {
    const { session, state } = aSession('ADMIN');
    const operation = session.operation();
    await operation.authorizeTeam(TEAM, TeamPermission.MANAGE_MEMBERS);
    const stream = operation.stream(aSource().source);
    const next = stream.next();
    state.role = 'MEMBER';
    session.onAccessEvent({ kind: 'membershipChanged', teamId: TEAM, userId: 'u1' });
    await expect(next).rejects.toBeInstanceOf(AppError);
    await expect(next).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
