import { randomUUID } from 'node:crypto';
import type { Client } from 'graphql-ws';
import { findFreePort } from '@cutout/embedded-db';
import { startApi } from '../bootstrap/start-api';
import { createLogger } from '../common/logger';
import { loadApiConfig } from '../config/api.config';
import { AccessEventsService } from '../access-events/access-events.service';
import { AuthService } from '../auth/auth.service';
import { publishJobEvent } from '../jobs/events/job-event';
import { A_PASSWORD, aSignedInUser, aTeamWithMembers, anApiKey, fundTeam, withTeamRole, type SignedInUser } from '../../testing/builders';
import { TestClient, wsRequest } from '../../testing/graphql-client';
import { JOB_UPDATED } from '../../testing/jobs-client';
import { aSubjectImage } from '../../testing/test-images';
import { startTestApi, type TestApi } from '../../testing/test-api';
import { closeCode, recordSubscription } from '../../testing/ws-recorder';

type Event = { jobUpdated: { jobId: string; status: string; progress: number } };
const TEAM_JOBS = `subscription($t: ID!) { teamJobs(teamId: $t) { jobId status progress } }`;

describe('WebSocket subscriptions re-check access for every event', () => {
  let t: TestApi;
  let owner: SignedInUser;
  const sockets: Client[] = [];
  const ws = (client: TestClient, params?: Record<string, unknown>) => {
    const socket = client.ws(params);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    // No worker: the only job events are the ones a test publishes.
    t = await startTestApi({ ROLE: 'api' });
    owner = await aSignedInUser(t, 'owner');
  });
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.dispose()));
  });
  afterAll(() => t?.close());

  /** The owner's team with one more member. */
  const aTeamWithA = async (role: 'ADMIN' | 'MEMBER') => {
    const member = await aSignedInUser(t, role);
    return { member, teamId: await aTeamWithMembers(t, owner, [{ user: member, role }]) };
  };
  /** A queued job of the team (which gets the credit it costs first: teams made with createTeam have none). */
  const aJob = async (team: string, client = owner.client): Promise<string> => {
    await fundTeam(t, team, 1);
    const imageBase64 = (await aSubjectImage()).toString('base64');
    const { removeBackground } = await client.ok(`mutation($i: RemoveBackgroundInput!) { removeBackground(input: $i) { id } }`, {
      i: { teamId: team, imageBase64, idempotencyKey: randomUUID() },
    });
    return removeBackground.id;
  };
  /** A job event as a worker on any process would publish it (pg_notify, fanned out by every API's LISTEN), each newer than the last. */
  let version = 1000;
  const publish = (jobId: string, progress: number, team: string) =>
    publishJobEvent(t.api.database.dataSource.manager, {
      jobId,
      teamId: team,
      status: 'RUNNING',
      stage: 'INFERENCE',
      progress,
      errorCode: null,
      errorMessage: null,
      version: ++version,
      at: new Date().toISOString(),
    });
  /** Follows a job over a fresh socket of `client`; resolves once its current state arrived (the subscription is live). */
  const follow = async (client: TestClient, jobId: string, params?: Record<string, unknown>) => {
    const socket = ws(client, params);
    const closed = closeCode(socket);
    const sub = recordSubscription<Event>(socket, JOB_UPDATED, { id: jobId });
    expect((await sub.nextEvent()).jobUpdated.status).toBe('QUEUED');
    return { socket, sub, closed };
  };
  const keyId = async (secret: string, teamId: string) => {
    const { apiKeys } = await owner.client.ok(`query($t: ID!) { apiKeys(teamId: $t) { edges { node { id prefix } } } }`, { t: teamId });
    return apiKeys.edges
      .map((e: { node: { id: string; prefix: string } }) => e.node)
      .find((k: { prefix: string }) => secret.startsWith(k.prefix)).id as string;
  };

  it('closes an API key’s socket with 4401 once the key is revoked; the key gets no event after, a valid subscriber does', async () => {
    const teamId = await aTeamWithMembers(t, owner);
    const secret = await anApiKey(owner, teamId);
    const jobId = await aJob(teamId);
    const byKey = await follow(t.client(), jobId, { authorization: `Bearer ${secret}` });
    const control = await follow(owner.client, jobId);

    await owner.client.ok(`mutation($i: RevokeApiKeyInput!) { revokeApiKey(input: $i) { id } }`, {
      i: { id: await keyId(secret, teamId) },
    });
    expect(await byKey.closed).toBe(4401);
    expect(await byKey.sub.ended).toEqual({ kind: 'closed', code: 4401 });

    await publish(jobId, 0.5, teamId);
    expect((await control.sub.nextEvent()).jobUpdated.progress).toBe(0.5);
    expect(byKey.sub.events).toHaveLength(1);
  });

  it('revokes the keys a member made in a team when they are removed or leave: HTTP refuses them, their sockets close with 4401; others’ keys go on', async () => {
    const { member: removed, teamId } = await aTeamWithA('ADMIN');
    const leaver = await aSignedInUser(t, 'leaver');
    await aTeamWithMembers(t, owner); // another team of the owner's, untouched
    await withTeamRole(t, owner, teamId, leaver, 'ADMIN');
    const [removedKey, leaverKey, ownersKey] = [
      await anApiKey(removed, teamId),
      await anApiKey(leaver, teamId),
      await anApiKey(owner, teamId),
    ];
    const removedOwnTeamKey = await anApiKey(removed, removed.personalTeamId);
    const jobId = await aJob(teamId);
    const byRemovedKey = await follow(t.client(), jobId, { authorization: `Bearer ${removedKey}` });
    const byLeaverKey = await follow(t.client(), jobId, { authorization: `Bearer ${leaverKey}` });

    await owner.client.ok(`mutation($i: RemoveMemberInput!) { removeMember(input: $i) { id } }`, { i: { teamId, userId: removed.id } });
    expect(await byRemovedKey.closed).toBe(4401);
    expect(await t.client().withApiKey(removedKey).errorCode(`{ me { id } }`)).toBe('UNAUTHENTICATED');
    await t.client().withApiKey(leaverKey).ok(`{ me { id } }`);

    await leaver.client.ok(`mutation($i: LeaveTeamInput!) { leaveTeam(input: $i) }`, { i: { teamId } });
    expect(await byLeaverKey.closed).toBe(4401);
    expect(await t.client().withApiKey(leaverKey).errorCode(`{ me { id } }`)).toBe('UNAUTHENTICATED');

    // The owner's key of that team, and the removed member's key of their own team, still work.
    expect((await t.client().withApiKey(ownersKey).ok(`{ me { id } }`)).me.id).toBe(owner.id);
    expect((await t.client().withApiKey(removedOwnTeamKey).ok(`{ me { id } }`)).me.id).toBe(removed.id);
    const audited = await t.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'API_KEY_REVOKED' AND team_id = $1`,
      [teamId],
    );
    expect(audited).toEqual([{ n: 2 }]);
  });

  it('ends a removed member’s jobUpdated with NOT_FOUND and delivers nothing after; the socket itself stays usable', async () => {
    const { member, teamId } = await aTeamWithA('MEMBER');
    const jobId = await aJob(teamId, member.client);
    const removed = await follow(member.client, jobId);
    const control = await follow(owner.client, jobId);

    await owner.client.ok(`mutation($i: RemoveMemberInput!) { removeMember(input: $i) { id } }`, { i: { teamId, userId: member.id } });
    const end = await removed.sub.ended;
    expect(end).toMatchObject({ kind: 'error', errors: [{ extensions: { code: 'NOT_FOUND' } }] });

    await publish(jobId, 0.25, teamId);
    expect((await control.sub.nextEvent()).jobUpdated.progress).toBe(0.25);
    expect(removed.sub.events).toHaveLength(1);
    // Their credential is still valid: the same socket still answers for them.
    expect((await wsRequest(removed.socket, `{ me { id } }`)).data).toEqual({ me: { id: member.id } });
  });

  it('ends teamJobs of a member who left with NOT_FOUND, while the owner’s teamJobs keeps flowing', async () => {
    const { member, teamId } = await aTeamWithA('MEMBER');
    const leaving = recordSubscription<{ teamJobs: { jobId: string; progress: number } }>(ws(member.client), TEAM_JOBS, { t: teamId });
    const staying = recordSubscription<{ teamJobs: { jobId: string; progress: number } }>(ws(owner.client), TEAM_JOBS, { t: teamId });
    // teamJobs sends nothing at subscribe time: probe until both subscriptions are live.
    const probe = randomUUID();
    while (!leaving.events.length || !staying.events.length) {
      await publish(probe, 0, teamId);
      await new Promise((r) => setTimeout(r, 20));
    }
    const seen = leaving.events.length;

    await member.client.ok(`mutation($i: LeaveTeamInput!) { leaveTeam(input: $i) }`, { i: { teamId } });
    expect(await leaving.ended).toMatchObject({ kind: 'error', errors: [{ extensions: { code: 'NOT_FOUND' } }] });

    const after = randomUUID();
    await publish(after, 0.75, teamId);
    while (!staying.events.some((e) => e.teamJobs.jobId === after)) await staying.nextEvent();
    expect(leaving.events).toHaveLength(seen);
  });

  it('keeps delivering after a role change that still allows RUN_JOBS (ADMIN → MEMBER)', async () => {
    const { member: admin, teamId } = await aTeamWithA('ADMIN');
    const jobId = await aJob(teamId);
    const followed = await follow(admin.client, jobId);

    await owner.client.ok(`mutation($i: ChangeMemberRoleInput!) { changeMemberRole(input: $i) { role } }`, {
      i: { teamId, userId: admin.id, role: 'MEMBER' },
    });
    await publish(jobId, 0.4, teamId);
    expect((await followed.sub.nextEvent()).jobUpdated.progress).toBe(0.4);
    await publish(jobId, 0.6, teamId);
    expect((await followed.sub.nextEvent()).jobUpdated.progress).toBe(0.6);
  });

  it('closes a cookie socket with 4401 on signOut', async () => {
    const user = await aSignedInUser(t, 'leaver');
    const followed = await follow(user.client, await aJob(user.personalTeamId, user.client));
    await user.client.ok(`mutation { signOut }`);
    expect(await followed.closed).toBe(4401);
  });

  it('closes a socket whose caller signs out while it connects (the notice comes before the socket is listening)', async () => {
    // Regression (review): a notice heard while onConnect read the caller reached no session, and the socket trusted
    // the signed-out session for up to a minute (events, queries and mutations).
    const user = await aSignedInUser(t, 'connecting');
    const jobId = await aJob(user.personalTeamId, user.client);
    const auth = t.api.app.get(AuthService, { strict: false });
    const resolve = auth.resolve.bind(auth);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let reached!: () => void;
    const atHold = new Promise<void>((r) => (reached = r));
    auth.resolve = async (headers) => {
      auth.resolve = resolve;
      const principal = await resolve(headers); // read while the session was live …
      reached();
      await held; // … and the socket not yet listening when the notice arrives
      return principal;
    };
    let heardNotice!: () => void;
    const noticed = new Promise<void>((r) => (heardNotice = r));
    const stop = t.api.app.get(AccessEventsService, { strict: false }).subscribe((e) => e.kind === 'sessionEnded' && heardNotice());
    try {
      const socket = ws(user.client);
      const closed = closeCode(socket);
      const sub = recordSubscription<Event>(socket, JOB_UPDATED, { id: jobId });
      await atHold;
      await user.client.ok(`mutation { signOut }`);
      await noticed;
      release();
      expect(await Promise.race([closed, new Promise((r) => setTimeout(() => r('still open'), 5_000))])).toBe(4401);
      expect(sub.events).toEqual([]);
    } finally {
      stop();
    }
  });

  it('closes a socket at its session’s expiry, not up to a minute later (no notice is sent for an expiry)', async () => {
    // Regression (review): an expired session went on working over an open socket until the one-minute cache ran out.
    const user = await aSignedInUser(t, 'expiring');
    const jobId = await aJob(user.personalTeamId, user.client);
    await t.sql(`UPDATE sessions SET expires_at = now() + interval '3 seconds' WHERE user_id = $1`, [user.id]);
    const followed = await follow(user.client, jobId);
    expect(await Promise.race([followed.closed, new Promise((r) => setTimeout(() => r('still open'), 15_000))])).toBe(4401);
  }, 30_000);

  it('closes every socket of the user with 4401 on signOut everywhere, from another session', async () => {
    const user = await aSignedInUser(t, 'everywhere');
    const laptop = await follow(user.client, await aJob(user.personalTeamId, user.client));
    const phone = t.client();
    await phone.ok(`mutation($i: SignInInput!) { signIn(input: $i) { id } }`, { i: { email: user.email, password: A_PASSWORD } });
    await phone.ok(`mutation { signOut(input: { everywhere: true }) }`);
    expect(await laptop.closed).toBe(4401);
  });

  it('closes the user’s sockets, and those of the API keys they made, with 4401 when the password is reset', async () => {
    const user = await aSignedInUser(t, 'reset');
    const jobId = await aJob(user.personalTeamId, user.client);
    const followed = await follow(user.client, jobId);
    const byKey = await follow(t.client(), jobId, { authorization: `Bearer ${await anApiKey(user, user.personalTeamId)}` });
    await t.client().ok(`mutation($i: RequestPasswordResetInput!) { requestPasswordReset(input: $i) }`, { i: { email: user.email } });
    const token = await t.tokenFromMail(user.email, /Reset/);
    await t
      .client()
      .ok(`mutation($i: ResetPasswordInput!) { resetPassword(input: $i) { id } }`, { i: { token, password: 'another-violet-anchor-77' } });
    expect(await followed.closed).toBe(4401);
    expect(await byKey.closed).toBe(4401);
  });

  it('closes the socket on another API replica too (the revocation travels through PostgreSQL)', async () => {
    const replicaConfig = loadApiConfig({ ...t.env, ROLE: 'api', PORT: String(await findFreePort()) });
    const replica = await startApi(replicaConfig, createLogger('silent'));
    try {
      const teamId = await aTeamWithMembers(t, owner);
      const secret = await anApiKey(owner, teamId);
      const jobId = await aJob(teamId);
      const onReplica = await follow(new TestClient(`http://127.0.0.1:${replica.port}`), jobId, { authorization: `Bearer ${secret}` });
      await owner.client.ok(`mutation($i: RevokeApiKeyInput!) { revokeApiKey(input: $i) { id } }`, {
        i: { id: await keyId(secret, teamId) },
      });
      expect(await onReplica.closed).toBe(4401);
    } finally {
      await Promise.all(sockets.splice(0).map((s) => s.dispose()));
      await replica.close();
    }
  });
});
