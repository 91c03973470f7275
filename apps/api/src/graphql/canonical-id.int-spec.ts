import { randomUUID } from 'node:crypto';
import type { Client } from 'graphql-ws';
import { aSignedInUser, aTeamWithMembers, type SignedInUser } from '../../testing/builders';
import { REMOVE } from '../../testing/jobs-client';
import { makePlatformAdmin } from '../../testing/data-requests-client';
import { startTestApi, type TestApi } from '../../testing/test-api';
import { aSubjectImage } from '../../testing/test-images';
import { recordSubscription } from '../../testing/ws-recorder';

const ADJUST = `mutation($i: AdjustCreditsInput!) { adjustCredits(input: $i) { entry { id } balance { available debt } } }`;
const BALANCE = `query($t: ID!) { creditBalance(teamId: $t) { available debt } }`;
const JOBS = `query($t: ID!) { jobs(teamId: $t, first: 10) { edges { node { id status } } } }`;
const CHANGED = `subscription($t: ID!) { creditBalanceChanged(teamId: $t) { available debt } }`;

/**
 * Regression (found in review): a UUID id in upper case was checked case-insensitively but then used as
 * written, where ids are compared as text. The ID scalar now reads it as the same lower-case id.
 */
describe('an id written in upper case is the same id', () => {
  let t: TestApi;
  let admin: SignedInUser;
  let owner: SignedInUser;
  const sockets: Client[] = [];
  beforeAll(async () => {
    t = await startTestApi({ ROLE: 'api' });
    [admin, owner] = await Promise.all([aSignedInUser(t, 'platform').then((u) => makePlatformAdmin(t, u)), aSignedInUser(t, 'owner')]);
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.dispose()));
    await t?.close();
  });

  it("a new team's first job named in upper case: the team's data key opens under its lower-case id afterwards", async () => {
    // It made the key with the upper-case id as associated data: every later read failed, the job was charged.
    const team = await aTeamWithMembers(t, owner, [], 'Fresh team');
    await admin.client.ok(ADJUST, { i: { teamId: team, amount: 2, reason: 'start' } });
    const imageBase64 = (await aSubjectImage('png', 48, 48)).toString('base64');
    const first = await owner.client.ok(REMOVE, { i: { teamId: team.toUpperCase(), imageBase64, idempotencyKey: randomUUID() } });
    const later = await owner.client.ok(REMOVE, { i: { teamId: team, imageBase64, idempotencyKey: randomUUID() } });
    const listed = (await owner.client.ok(JOBS, { t: team })).jobs.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(listed.sort()).toEqual([first.removeBackground.id, later.removeBackground.id].sort());
    expect((await owner.client.ok(BALANCE, { t: team.toUpperCase() })).creditBalance).toEqual({ available: 1.5, debt: 0 });
  });

  it('adjustCredits retried with the same idempotency key and the team id in upper case applies once', async () => {
    const team = await aTeamWithMembers(t, owner, [], 'Case');
    const first = await admin.client.ok(ADJUST, { i: { teamId: team, amount: 5, reason: 'r', idempotencyKey: 'ticket-1' } });
    const retry = await admin.client.ok(ADJUST, { i: { teamId: team.toUpperCase(), amount: 5, reason: 'r', idempotencyKey: 'ticket-1' } });
    expect(retry.adjustCredits.entry.id).toBe(first.adjustCredits.entry.id);
    expect(retry.adjustCredits.balance).toEqual({ available: 5, debt: 0 });
    expect(await t.sql('SELECT reference FROM credit_ledger WHERE team_id = $1', [team])).toEqual([
      { reference: `admin:${team}:ticket-1` },
    ]);
  });

  it('creditBalanceChanged in lower case streams a change made through the upper-case id', async () => {
    const team = await aTeamWithMembers(t, owner, [], 'Stream');
    await admin.client.ok(ADJUST, { i: { teamId: team, amount: 2, reason: 'start' } });
    const socket = owner.client.ws();
    sockets.push(socket);
    const sub = recordSubscription<{ creditBalanceChanged: { available: number } }>(socket, CHANGED, { t: team });
    expect((await sub.nextEvent()).creditBalanceChanged.available).toBe(2);
    await admin.client.ok(ADJUST, { i: { teamId: team.toUpperCase(), amount: 1, reason: 'more' } });
    expect((await sub.nextEvent()).creditBalanceChanged.available).toBe(3);
  });

  it('leaves an ID that is not a UUID as it is (NOT_FOUND, as before)', async () => {
    expect(await owner.client.errorCode(BALANCE, { t: 'NOT-A-UUID' })).toBe('NOT_FOUND');
  });
});
