import { Client } from 'pg';
import { AccessEventsService } from '../access-events/access-events.service';
import { createLogger } from '../common/logger';
import { createTestDatabase } from '../../testing/test-database';
import { ListenConnection, reconnectDelayMs } from './listen-connection';

const until = async (check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000) => {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (await check()) return;
  throw new Error(`${what}: not within ${timeoutMs} ms`);
};

/**
 * The LISTEN connection the job, credit and access events share the rule of: a lost connection is
 * replaced, again and again until one works, and only then is the gap reported (onRestored).
 */
describe('ListenConnection', () => {
  let database: { url: string; drop(): Promise<void> };
  let admin: Client;
  beforeAll(async () => {
    database = await createTestDatabase();
    const url = new URL(database.url);
    url.pathname = '/postgres';
    admin = new Client({ connectionString: url.toString() });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await database.drop();
  });

  const name = () => new URL(database.url).pathname.slice(1);
  const backends = async () =>
    (
      await admin.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = 'listen-probe' AND datname = $1`, [
        name(),
      ])
    ).rows.map((r) => r.pid);
  const notify = async (payload: string) => {
    const c = new Client({ connectionString: database.url });
    await c.connect();
    await c.query('SELECT pg_notify($1, $2)', ['listen_probe', payload]);
    await c.end();
  };

  it('keeps trying while the database refuses connections, then listens again on one connection and reports the gap', async () => {
    // Regression: the services reconnected once, 1 s after an 'error'; a reconnect that failed (the database
    // still restarting, a failover) was never tried again, and a connection that only ended ('end') was not replaced.
    const received: string[] = [];
    const restored: Date[] = [];
    const connection = new ListenConnection({
      databaseUrl: database.url,
      channel: 'listen_probe',
      applicationName: 'listen-probe',
      logger: createLogger('silent'),
      onNotification: (payload) => received.push(payload),
      onRestored: (lostAt) => restored.push(lostAt),
    });
    await connection.start();
    try {
      await notify('before');
      await until(() => received.includes('before'), 'the first notification');

      await admin.query(`ALTER DATABASE ${name()} ALLOW_CONNECTIONS false`);
      const [pid] = await backends();
      const lostAround = new Date();
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      // Attempts at 1 and 3 s fail while connections are refused; the one at 7 s works.
      await new Promise((r) => setTimeout(r, 3_500));
      expect(restored).toEqual([]);
      await admin.query(`ALTER DATABASE ${name()} ALLOW_CONNECTIONS true`);
      await until(() => restored.length === 1, 'the connection restored');
      expect(Math.abs(restored[0].getTime() - lostAround.getTime())).toBeLessThan(2_000);
      expect(await backends()).toHaveLength(1);

      await notify('after');
      await until(() => received.includes('after'), 'a notification after the reconnect');
      expect(received).toEqual(['before', 'after']);
    } finally {
      await admin.query(`ALTER DATABASE ${name()} ALLOW_CONNECTIONS true`);
      await connection.close();
    }
    expect(await backends()).toEqual([]);
  }, 60_000);

  it('the access events use it: after a failed reconnect they still come back, with a resync, and deliver revocations again', async () => {
    // Regression, as above, where it mattered most: revocations on other replicas stopped closing this replica's sockets.
    const events: string[] = [];
    const access = new AccessEventsService(createLogger('silent'));
    access.subscribe((event) => events.push(event.kind));
    await access.listen(database.url);
    try {
      expect(events).toEqual(['resync']);
      await admin.query(`ALTER DATABASE ${name()} ALLOW_CONNECTIONS false`);
      const [pid] = (
        await admin.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE application_name = 'cutout-access-events' AND datname = $1`,
          [name()],
        )
      ).rows.map((r) => r.pid);
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      await new Promise((r) => setTimeout(r, 1_500));
      await admin.query(`ALTER DATABASE ${name()} ALLOW_CONNECTIONS true`);
      await until(() => events.length === 2, 'the resync after the reconnect');
      const c = new Client({ connectionString: database.url });
      await c.connect();
      await c.query('SELECT pg_notify($1, $2)', ['cutout_access_events', JSON.stringify({ kind: 'apiKeyRevoked', apiKeyId: 'k' })]);
      await c.end();
      await until(() => events.length === 3, 'a revocation after the reconnect');
      expect(events).toEqual(['resync', 'resync', 'apiKeyRevoked']);
    } finally {
      await admin.query(`ALTER DATABASE ${name()} ALLOW_CONNECTIONS true`);
      await access.onModuleDestroy();
    }
  }, 60_000);

  it('waits 1, 2, 4 … up to 30 s between attempts', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map(reconnectDelayMs)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });
});
