import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Client } from 'graphql-ws';
import { MailOutbox } from '../src/mail/mail-outbox.service';
import { aSignedInUser, aTeamWithMembers, anApiKey, anEmail, fundTeam, withTeamRole, type SignedInUser } from './builders';
import type { GraphqlError, TestClient } from './graphql-client';
import { REMOVE } from './jobs-client';
import type { TestApi } from './test-api';
import { aSubjectImage } from './test-images';

/** Everyone who calls in the roles matrix, relative to the team under test. */
export const CALLERS = ['OWNER', 'ADMIN', 'MEMBER', 'TEAM_KEY', 'OTHER_TEAM_USER', 'OTHER_TEAM_KEY', 'ANONYMOUS'] as const;
export type Caller = (typeof CALLERS)[number];
export const MEMBER_ROLE: Partial<Record<Caller, 'OWNER' | 'ADMIN' | 'MEMBER'>> = { OWNER: 'OWNER', ADMIN: 'ADMIN', MEMBER: 'MEMBER' };

/** The team an operation runs against, its API key, and one of its jobs. */
export interface Scene {
  teamId: string;
  key: string;
  jobId: string;
}

export interface World {
  t: TestApi;
  owner: SignedInUser;
  admin: SignedInUser;
  member: SignedInUser;
  /** Members acted upon by member-management operations (see aSpareWithRole). */
  spares: SignedInUser[];
  /** Invitations sent to each spare so far (mail limits are per recipient). */
  invitesTo: Map<string, number>;
  outsider: SignedInUser;
  outsiderKey: string;
  shared: Scene;
  imageBase64: string;
}

/** A job of the team, submitted inline by the owner (it stays QUEUED: the matrix API runs no worker). */
export async function aQueuedJob(w: Pick<World, 'owner' | 'imageBase64'>, teamId: string): Promise<string> {
  const { removeBackground } = await w.owner.client.ok(REMOVE, { i: { teamId, imageBase64: w.imageBase64, idempotencyKey: randomUUID() } });
  return removeBackground.id;
}

/** Owner, admin and member of one team with a key and a job; an outsider with a team and key of their own. */
export async function aMatrixWorld(t: TestApi): Promise<World> {
  const [owner, admin, member, outsider, ...spares] = await Promise.all(
    ['owner', 'admin', 'member', 'outsider', 'spare', 'spare', 'spare'].map((n) => aSignedInUser(t, `matrix-${n}`)),
  );
  const imageBase64 = (await aSubjectImage('png', 48, 48)).toString('base64');
  const teamId = await aTeamWithMembers(
    t,
    owner,
    [
      { user: admin, role: 'ADMIN' },
      { user: member, role: 'MEMBER' },
    ],
    'Matrix team',
  );
  // Every removeBackground the matrix runs is charged: the team's credits cover them all.
  await fundTeam(t, teamId, 1000);
  const shared: Scene = { teamId, key: await anApiKey(owner, teamId), jobId: await aQueuedJob({ owner, imageBase64 }, teamId) };
  const otherTeam = await aTeamWithMembers(t, outsider, [], 'Other team');
  return {
    t,
    owner,
    admin,
    member,
    spares,
    invitesTo: new Map(),
    outsider,
    outsiderKey: await anApiKey(outsider, otherTeam),
    shared,
    imageBase64,
  };
}

/**
 * A spare user holding exactly `role` in the team: one already in it when there is one
 * (a role change), else the spare invited least so far (an invitation, accepted).
 */
export async function aSpareWithRole(w: World, teamId: string, role: 'OWNER' | 'ADMIN' | 'MEMBER'): Promise<SignedInUser> {
  const members = new Set(
    (await w.t.sql<{ user_id: string }>('SELECT user_id FROM memberships WHERE team_id = $1', [teamId])).map((r) => r.user_id),
  );
  const invited = (u: SignedInUser) => w.invitesTo.get(u.id) ?? 0;
  let spare = w.spares.find((u) => members.has(u.id));
  if (!spare) {
    spare = [...w.spares].sort((a, b) => invited(a) - invited(b))[0];
    w.invitesTo.set(spare.id, invited(spare) + 1);
  }
  await withTeamRole(w.t, w.owner, teamId, spare, role);
  return spare;
}

/** A new team for an operation that uses the team up (leave, transfer): the owner, the caller in its role, a key. */
export async function aFreshScene(w: World, caller: Caller): Promise<Scene> {
  const role = MEMBER_ROLE[caller];
  const members = role === 'ADMIN' ? [{ user: w.admin, role }] : role === 'MEMBER' ? [{ user: w.member, role }] : [];
  const teamId = await aTeamWithMembers(w.t, w.owner, members as { user: SignedInUser; role: 'ADMIN' | 'MEMBER' }[], `Fresh ${caller}`);
  await fundTeam(w.t, teamId, 100);
  return { teamId, key: await anApiKey(w.owner, teamId), jobId: await aQueuedJob(w, teamId) };
}

export function httpCaller(w: World, scene: Scene, caller: Caller): TestClient {
  switch (caller) {
    case 'OWNER':
      return w.owner.client;
    case 'ADMIN':
      return w.admin.client;
    case 'MEMBER':
      return w.member.client;
    case 'TEAM_KEY':
      return w.t.client().withApiKey(scene.key);
    case 'OTHER_TEAM_USER':
      return w.outsider.client;
    case 'OTHER_TEAM_KEY':
      return w.t.client().withApiKey(w.outsiderKey);
    case 'ANONYMOUS':
      return w.t.client();
  }
}

export function wsCaller(w: World, scene: Scene, caller: Caller): Client {
  const client = httpCaller(w, scene, caller);
  return client.apiKey ? client.ws({ authorization: `Bearer ${client.apiKey}` }) : client.ws();
}

export const anInvitation = async (w: World, teamId: string): Promise<string> =>
  (
    await w.owner.client.ok(`mutation($i: InviteMemberInput!) { inviteMember(input: $i) { id } }`, {
      i: { teamId, email: anEmail('invitee'), role: 'MEMBER' },
    })
  ).inviteMember.id;

export const anApiKeyId = async (w: World, teamId: string): Promise<string> =>
  (
    await w.owner.client.ok(`mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { apiKey { id } } }`, {
      i: { teamId, name: 'matrix' },
    })
  ).createApiKey.apiKey.id;

const SNAPSHOT_TABLES = ['teams', 'memberships', 'invitations', 'api_keys', 'uploads', 'jobs', 'purchases', 'billing_customers'];

/**
 * Every row an operation could change (API keys without lastUsedAt, which any use updates),
 * plus the number of mails sent; rows whose id is in `leaveOut` are left out.
 */
export async function snapshot(t: TestApi, leaveOut: readonly string[] = []): Promise<Record<string, unknown>> {
  const state: Record<string, unknown> = {};
  for (const table of SNAPSHOT_TABLES) {
    const rows = await t.sql<Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY 1, 2`);
    state[table] = rows.filter((r) => !leaveOut.includes(r.id as string)).map((r) => ({ ...r, last_used_at: undefined }));
  }
  await t.api.app.get(MailOutbox).idle();
  let mails: string[] = [];
  try {
    mails = readdirSync(path.join(t.dataDir, 'mail'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  state.mails = mails.length;
  return state;
}

export interface Answer {
  data?: Record<string, any> | null;
  errors?: GraphqlError[];
  /** Ids of rows the trigger created (left out of the snapshot). */
  created: string[];
}

const CLOSE_CODES: Record<number, string> = { 4401: 'UNAUTHENTICATED', 4403: 'FORBIDDEN' };

/**
 * Subscribes and waits for the first result: an event, or the refusal. `trigger`
 * (called until something arrives) makes events happen for streams with no first event.
 */
export async function firstEvent(
  ws: Client,
  query: string,
  variables: Record<string, unknown>,
  trigger?: () => Promise<string[]>,
): Promise<Answer> {
  const created: string[] = [];
  let settled = false;
  const result = new Promise<Omit<Answer, 'created'>>((resolve, reject) => {
    ws.subscribe(
      { query, variables },
      {
        next: (value) => resolve(value as Omit<Answer, 'created'>),
        error: (error) => {
          if (Array.isArray(error)) return resolve({ errors: error as GraphqlError[] });
          // A socket closed with the graphql-ws "unauthorised"/"forbidden" codes is a refusal too.
          const code = CLOSE_CODES[(error as { code?: number }).code ?? 0];
          return code ? resolve({ errors: [{ message: 'socket closed', extensions: { code } }] }) : reject(error);
        },
        complete: () => resolve({}),
      },
    );
  }).finally(() => (settled = true));
  const triggering = (async () => {
    while (trigger && !settled) {
      created.push(...(await trigger()));
      await Promise.race([result.catch(() => undefined), new Promise((r) => setTimeout(r, 100))]);
    }
  })();
  try {
    return { ...(await result), created };
  } finally {
    await triggering;
    await ws.dispose();
  }
}
