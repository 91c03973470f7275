import type { Client } from 'graphql-ws';
import { aSignedInUser, aTeamWithMembers, type SignedInUser } from '../../testing/builders';
import { eventually } from '../../testing/holding-inference.server';
import { makePlatformAdmin } from '../../testing/data-requests-client';
import { startTestApi, type TestApi } from '../../testing/test-api';
import { recordSubscription } from '../../testing/ws-recorder';

const ADJUST = `mutation($i: AdjustCreditsInput!) { adjustCredits(input: $i) { balance { available } } }`;
const CHANGED = `subscription($t: ID!) { creditBalanceChanged(teamId: $t) { available debt } }`;

/**
 * The API's LISTEN connection of balance changes drops: a change made meanwhile sent its event to
 * nobody, so after the reconnect the followed teams' balances are read again and delivered (once).
 */
describe('creditBalanceChanged after the LISTEN connection dropped', () => {
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

  const listeners = async () =>
    (
      await t.sql<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE application_name = 'cutout-credit-events' AND datname = current_database()`,
      )
    ).map((row) => row.pid);

  it('a balance changed while it was down reaches the subscriber once it is back', async () => {
    // Regression: the subscriber saw nothing until the team's balance changed again.
    const team = await aTeamWithMembers(t, owner, [], 'Gap');
    await admin.client.ok(ADJUST, { i: { teamId: team, amount: 2, reason: 'start' } });
    const socket = owner.client.ws();
    sockets.push(socket);
    const sub = recordSubscription<{ creditBalanceChanged: { available: number } }>(socket, CHANGED, { t: team });
    expect((await sub.nextEvent()).creditBalanceChanged.available).toBe(2);

    const [old] = await listeners();
    await t.sql('SELECT pg_terminate_backend($1)', [old]);
    // Applied while nothing listens (the new connection comes a second later): its NOTIFY is lost.
    await admin.client.ok(ADJUST, { i: { teamId: team, amount: 1, reason: 'in the gap' } });
    await eventually(async () => (await listeners()).some((pid) => pid !== old));
    expect((await sub.nextEvent()).creditBalanceChanged.available).toBe(3);
    // Then live as before, and the catch-up delivered nothing twice.
    await admin.client.ok(ADJUST, { i: { teamId: team, amount: 1, reason: 'after' } });
    expect((await sub.nextEvent()).creditBalanceChanged.available).toBe(4);
  });
});
