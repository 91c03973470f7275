import { randomUUID } from 'node:crypto';
import type { Client } from 'graphql-ws';
import { aSignedInUser, aTeamWithMembers, anApiKey, type SignedInUser } from '../../testing/builders';
import type { TestClient } from '../../testing/graphql-client';
import { startTestApi, type TestApi } from '../../testing/test-api';
import { closeCode, recordSubscription } from '../../testing/ws-recorder';
import { CreditsService } from './credits.service';

const BALANCE = `query($t: ID!) { creditBalance(teamId: $t) { available debt } }`;
const LEDGER = `query($t: ID!, $first: Int, $after: String) {
  creditLedger(teamId: $t, first: $first, after: $after) { edges { node { id kind amount reference reason createdAt } } pageInfo { hasNextPage endCursor } } }`;
const USAGE = `query($t: ID!, $from: DateTime!, $to: DateTime!) { usage(teamId: $t, from: $from, to: $to) { day jobs credits } }`;
const ADJUST = `mutation($i: AdjustCreditsInput!) { adjustCredits(input: $i) { entry { kind amount reason } balance { available debt } } }`;
const HEALTH = `{ ledgerHealth { teamId balance ledgerSum } }`;
const CHANGED = `subscription($t: ID!) { creditBalanceChanged(teamId: $t) { available debt } }`;

type Changed = { creditBalanceChanged: { available: number; debt: number } };
const DAY = 86_400_000;

describe('credits over GraphQL', () => {
  let t: TestApi;
  let admin: SignedInUser;
  let owner: SignedInUser;
  let member: SignedInUser;
  let teamId: string;
  const sockets: Client[] = [];
  const ws = (client: TestClient, params?: Record<string, unknown>) => {
    const socket = client.ws(params);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    t = await startTestApi({ ROLE: 'api' });
    [admin, owner, member] = await Promise.all(['platform', 'owner', 'member'].map((n) => aSignedInUser(t, n)));
    await t.sql('UPDATE users SET is_platform_admin = true WHERE id = $1', [admin.id]);
    teamId = await aTeamWithMembers(t, owner, [{ user: member, role: 'MEMBER' }], 'Credits');
  });
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.dispose()));
  });
  afterAll(() => t?.close());

  const adjust = (teamId: string, amount: number, reason = 'support ticket 42', by = admin) =>
    by.client.gql(ADJUST, { i: { teamId, amount, reason } });
  const codeAndField = (res: { errors?: { extensions?: Record<string, unknown> }[] }) => ({
    code: res.errors?.[0]?.extensions?.code,
    field: res.errors?.[0]?.extensions?.field,
  });

  it('lets a platform admin adjust credits in quarters, ledgered with the actor and reason; every member reads the balance', async () => {
    const res = await adjust(teamId, 2.75);
    expect(res.errors).toBeUndefined();
    expect(res.data?.adjustCredits).toEqual({
      entry: { kind: 'ADMIN_ADJUSTMENT', amount: 2.75, reason: 'support ticket 42' },
      balance: { available: 2.75, debt: 0 },
    });
    const [row] = await t.sql('SELECT actor_user_id, amount_quarters FROM credit_ledger WHERE team_id = $1', [teamId]);
    expect(row).toEqual({ actor_user_id: admin.id, amount_quarters: 11 });
    for (const reader of [owner, member])
      expect((await reader.client.ok(BALANCE, { t: teamId })).creditBalance).toEqual({ available: 2.75, debt: 0 });
    const key = t.client().withApiKey(await anApiKey(owner, teamId));
    expect((await key.ok(BALANCE, { t: teamId })).creditBalance).toEqual({ available: 2.75, debt: 0 });
  });

  it('applies a retried adjustment with the same idempotencyKey once (first wins), per team; a malformed key changes nothing', async () => {
    const ADJUST_KEYED = `mutation($i: AdjustCreditsInput!) { adjustCredits(input: $i) { entry { id kind amount reason } balance { available debt } } }`;
    const [team, other] = await Promise.all(['Retried', 'Same key elsewhere'].map((name) => aTeamWithMembers(t, owner, [], name)));
    const keyed = (teamId: string, amount: number, reason = 'ticket 7') =>
      admin.client.gql(ADJUST_KEYED, { i: { teamId, amount, reason, idempotencyKey: 'ticket-7:goodwill' } });
    const auditCount = async (teamId: string) =>
      (
        await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE team_id = $1 AND action = 'CREDITS_ADJUSTED'`, [teamId])
      )[0].n;

    // The request and its retries at the same moment, and a retry later: one ledger row, one audit entry.
    const [first, ...retries] = await Promise.all([keyed(team, 2), keyed(team, 2), keyed(team, 2), keyed(team, 2)]);
    expect(first.errors).toBeUndefined();
    retries.push(await keyed(team, 2));
    // A retry that changed the amount or the reason still returns the first adjustment, not applied again.
    const changed = await keyed(team, 5, 'another reason');
    for (const res of [...retries, changed]) expect(res.data?.adjustCredits).toEqual(first.data?.adjustCredits);
    expect(first.data?.adjustCredits).toMatchObject({ entry: { amount: 2, reason: 'ticket 7' }, balance: { available: 2, debt: 0 } });
    expect(await t.sql('SELECT amount_quarters FROM credit_ledger WHERE team_id = $1', [team])).toEqual([{ amount_quarters: 8 }]);
    expect((await owner.client.ok(BALANCE, { t: team })).creditBalance).toEqual({ available: 2, debt: 0 });
    expect(await auditCount(team)).toBe(1);

    // The key is the team's: the same key for another team is another adjustment.
    expect((await keyed(other, 1)).data?.adjustCredits.balance).toEqual({ available: 1, debt: 0 });
    expect((await owner.client.ok(BALANCE, { t: other })).creditBalance).toEqual({ available: 1, debt: 0 });

    // Without a key every request is its own adjustment, as before.
    await adjust(team, 0.25);
    await adjust(team, 0.25);
    expect((await owner.client.ok(BALANCE, { t: team })).creditBalance).toEqual({ available: 2.5, debt: 0 });

    const before = await t.sql('SELECT count(*)::int AS n FROM credit_ledger');
    for (const idempotencyKey of ['', 'has space', 'x'.repeat(129)]) {
      const res = await admin.client.gql(ADJUST_KEYED, { i: { teamId: team, amount: 1, reason: 'r', idempotencyKey } });
      expect([idempotencyKey, codeAndField(res)]).toEqual([idempotencyKey, { code: 'BAD_USER_INPUT', field: 'idempotencyKey' }]);
    }
    expect(await t.sql('SELECT count(*)::int AS n FROM credit_ledger')).toEqual(before);
  });

  it('takes back more than is available as debt', async () => {
    const team = await aTeamWithMembers(t, owner, [], 'Debtor');
    await adjust(team, 1);
    expect((await adjust(team, -3.5)).data?.adjustCredits.balance).toEqual({ available: 0, debt: 2.5 });
    expect((await owner.client.ok(BALANCE, { t: team })).creditBalance).toEqual({ available: 0, debt: 2.5 });
  });

  it.each([
    ['a fraction of a quarter', { amount: 0.3 }, 'amount'],
    ['a tiny fraction', { amount: 1e-9 }, 'amount'],
    ['zero', { amount: 0 }, 'amount'],
    ['more than the cap', { amount: 1_000_000.25 }, 'amount'],
    ['an empty reason', { reason: '   ' }, 'reason'],
    ['a reason over 500 characters', { reason: 'x'.repeat(501) }, 'reason'],
  ])('refuses %s with BAD_USER_INPUT naming the field, and changes nothing', async (_what, override, field) => {
    const before = await t.sql('SELECT count(*)::int AS n FROM credit_ledger');
    const res = await admin.client.gql(ADJUST, { i: { teamId, amount: 1, reason: 'r', ...override } });
    expect(codeAndField(res)).toEqual({ code: 'BAD_USER_INPUT', field });
    expect(await t.sql('SELECT count(*)::int AS n FROM credit_ledger')).toEqual(before);
  });

  it('refuses infinite and non-numeric amounts at the schema (no NaN reaches the ledger)', async () => {
    const res = await admin.client.gql(
      `mutation { adjustCredits(input: { teamId: "${teamId}", amount: 1e400, reason: "r" }) { balance { available } } }`,
    );
    expect(res.errors?.[0]?.extensions?.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
  });

  it('answers NOT_FOUND for adjusting a team that does not exist', async () => {
    expect(codeAndField(await adjust(randomUUID(), 1))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses adjustCredits and ledgerHealth to anyone but a platform admin (owners, API keys) with FORBIDDEN', async () => {
    const key = t.client().withApiKey(await anApiKey(owner, teamId));
    for (const caller of [owner.client, member.client, key]) {
      expect(await caller.errorCode(ADJUST, { i: { teamId, amount: 100, reason: 'free money' } })).toBe('FORBIDDEN');
      expect(await caller.errorCode(HEALTH)).toBe('FORBIDDEN');
    }
    expect(await t.client().errorCode(HEALTH)).toBe('UNAUTHENTICATED');
    expect((await admin.client.ok(HEALTH)).ledgerHealth).toEqual([]);
  });

  it('pages the ledger newest first with cursors, without repeats or gaps; API keys may not read it', async () => {
    const team = await aTeamWithMembers(t, owner, [], 'Paged');
    for (const amount of [1, 2, 3]) await adjust(team, amount, `step ${amount}`);
    const first = (await owner.client.ok(LEDGER, { t: team, first: 2 })).creditLedger;
    expect(first.edges.map((e: { node: { amount: number } }) => e.node.amount)).toEqual([3, 2]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = (await owner.client.ok(LEDGER, { t: team, first: 2, after: first.pageInfo.endCursor })).creditLedger;
    expect(rest.edges.map((e: { node: { reason: string } }) => e.node.reason)).toEqual(['step 1']);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    const rows = await t.sql<{ id: string }>('SELECT id FROM credit_ledger WHERE team_id = $1 ORDER BY created_at DESC, id DESC', [team]);
    expect([...first.edges, ...rest.edges].map((e: { node: { id: string } }) => e.node.id)).toEqual(rows.map((r) => r.id));
    const key = t.client().withApiKey(await anApiKey(owner, team));
    expect(await key.errorCode(LEDGER, { t: team })).toBe('FORBIDDEN');
    expect(await key.errorCode(USAGE, { t: team, from: new Date(Date.now() - DAY).toISOString(), to: new Date().toISOString() })).toBe(
      'FORBIDDEN',
    );
  });

  it('counts a job refunded the day after its charge on the day it was charged: no day shows negative usage', async () => {
    // Regression (review): refunds counted on their own day, so a job queued at 23:50 and canceled at 00:10 showed
    // "−1 jobs" and negative credits the next day (and a bar the chart could not draw).
    const team = await aTeamWithMembers(t, owner, [], 'Usage across midnight');
    const job = randomUUID();
    const midnight = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`) - 2 * DAY;
    // Written as the ledger has them (charge, then the refund 20 minutes later, across midnight): net zero on the balance.
    await t.sql(
      `INSERT INTO credit_ledger (team_id, amount_quarters, kind, reference, created_at)
       VALUES ($1, -4, 'JOB_CHARGE', $2, $3), ($1, 4, 'JOB_REFUND', $2, $4)`,
      [team, job, new Date(midnight - 10 * 60_000), new Date(midnight + 10 * 60_000)],
    );
    const { usage } = await owner.client.ok(USAGE, {
      t: team,
      from: new Date(midnight - DAY).toISOString(),
      to: new Date(midnight + DAY).toISOString(),
    });
    expect(usage).toEqual([
      { day: new Date(midnight - DAY).toISOString().slice(0, 10), jobs: 0, credits: 0 },
      { day: new Date(midnight).toISOString().slice(0, 10), jobs: 0, credits: 0 },
    ]);
  });

  it('sums usage per UTC day from the ledger: jobs charged minus refunded, credits net of refunds, every day of the range', async () => {
    const team = await aTeamWithMembers(t, owner, [], 'Usage');
    const credits = t.api.app.get(CreditsService);
    await credits.apply({ teamId: team, kind: 'PURCHASE', amountQuarters: 40, reference: randomUUID() });
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    await credits.apply({ teamId: team, kind: 'JOB_CHARGE', amountQuarters: -4, reference: a });
    await credits.apply({ teamId: team, kind: 'JOB_CHARGE', amountQuarters: -4, reference: b });
    await credits.apply({ teamId: team, kind: 'JOB_CHARGE', amountQuarters: -1, reference: c });
    await credits.apply({ teamId: team, kind: 'JOB_REFUND', amountQuarters: 4, reference: b });
    const [{ created_at: at }] = await t.sql<{ created_at: Date }>('SELECT created_at FROM credit_ledger WHERE reference = $1', [a]);
    const today = at.toISOString().slice(0, 10);
    const midnight = Date.parse(`${today}T00:00:00.000Z`);
    const { usage } = await owner.client.ok(USAGE, {
      t: team,
      from: new Date(midnight - DAY + 1000).toISOString(),
      to: new Date(midnight + DAY + 1).toISOString(),
    });
    expect(usage).toEqual([
      { day: new Date(midnight - DAY).toISOString().slice(0, 10), jobs: 0, credits: 0 },
      { day: today, jobs: 2, credits: 1.25 },
      { day: new Date(midnight + DAY).toISOString().slice(0, 10), jobs: 0, credits: 0 },
    ]);
    const backwards = await owner.client.gql(USAGE, {
      t: team,
      from: new Date(midnight).toISOString(),
      to: new Date(midnight).toISOString(),
    });
    expect(codeAndField(backwards)).toEqual({ code: 'BAD_USER_INPUT', field: 'to' });
    const tooLong = await owner.client.gql(USAGE, {
      t: team,
      from: new Date(midnight - 400 * DAY).toISOString(),
      to: new Date(midnight).toISOString(),
    });
    expect(codeAndField(tooLong)).toEqual({ code: 'BAD_USER_INPUT', field: 'to' });
    // Regression (found in review): legal DateTimes outside years 1 – 9999 in UTC reached PostgreSQL (INTERNAL_SERVER_ERROR).
    for (const [from, to] of [
      ['0001-01-01T00:00:00+01:00', '0001-01-02T00:00:00Z'],
      ['9999-12-30T00:00:00Z', '9999-12-31T23:00:00-05:00'],
    ]) {
      const res = await owner.client.gql(USAGE, { t: team, from, to });
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].message).toContain('between the years 1 and 9999');
    }
  });

  it('streams the current balance, then each change, to members and the team’s API key', async () => {
    const team = await aTeamWithMembers(t, owner, [{ user: member, role: 'MEMBER' }], 'Live');
    await adjust(team, 1);
    const byMember = recordSubscription<Changed>(ws(member.client), CHANGED, { t: team });
    const byKey = recordSubscription<Changed>(ws(t.client(), { authorization: `Bearer ${await anApiKey(owner, team)}` }), CHANGED, {
      t: team,
    });
    for (const sub of [byMember, byKey]) expect((await sub.nextEvent()).creditBalanceChanged).toEqual({ available: 1, debt: 0 });
    await adjust(team, 0.25);
    await adjust(team, -2);
    for (const sub of [byMember, byKey]) {
      expect((await sub.nextEvent()).creditBalanceChanged).toEqual({ available: 1.25, debt: 0 });
      expect((await sub.nextEvent()).creditBalanceChanged).toEqual({ available: 0, debt: 0.75 });
    }
  });

  it('cuts a removed member’s stream with NOT_FOUND and a revoked key’s socket with 4401; the owner’s keeps flowing', async () => {
    const leaving = await aSignedInUser(t, 'leaving');
    const team = await aTeamWithMembers(t, owner, [{ user: leaving, role: 'MEMBER' }], 'Cut');
    const secret = await anApiKey(owner, team);
    const keySocket = ws(t.client(), { authorization: `Bearer ${secret}` });
    const keyClosed = closeCode(keySocket);
    const subs = {
      member: recordSubscription<Changed>(ws(leaving.client), CHANGED, { t: team }),
      key: recordSubscription<Changed>(keySocket, CHANGED, { t: team }),
      owner: recordSubscription<Changed>(ws(owner.client), CHANGED, { t: team }),
    };
    for (const sub of Object.values(subs)) await sub.nextEvent();

    await owner.client.ok(`mutation($i: RemoveMemberInput!) { removeMember(input: $i) { id } }`, {
      i: { teamId: team, userId: leaving.id },
    });
    expect(await subs.member.ended).toMatchObject({ kind: 'error', errors: [{ extensions: { code: 'NOT_FOUND' } }] });
    const { apiKeys } = await owner.client.ok(`query($t: ID!) { apiKeys(teamId: $t) { edges { node { id } } } }`, { t: team });
    await owner.client.ok(`mutation($i: RevokeApiKeyInput!) { revokeApiKey(input: $i) { id } }`, { i: { id: apiKeys.edges[0].node.id } });
    expect(await keyClosed).toBe(4401);

    await adjust(team, 3);
    expect((await subs.owner.nextEvent()).creditBalanceChanged).toEqual({ available: 3, debt: 0 });
    expect(subs.member.events).toHaveLength(1);
    expect(subs.key.events).toHaveLength(1);
  });
});
