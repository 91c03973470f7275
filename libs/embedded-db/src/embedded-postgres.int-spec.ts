import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres';

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new Client(url);
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('startEmbeddedPostgres', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'cutout-embedded-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('starts a real PostgreSQL that keeps its data across restarts when persistent', async () => {
    const dataDir = path.join(root, 'persistent');
    const first = await startEmbeddedPostgres({ dataDir, persistent: true });
    await query(first.url, 'CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)');
    await first.stop();

    const second = await startEmbeddedPostgres({ dataDir, persistent: true });
    try {
      expect(await query(second.url, 'SELECT v FROM kept')).toEqual([{ v: 42 }]);
      expect(second.urlFor('other')).toMatch(/\/other$/);
    } finally {
      await second.stop();
    }
  }, 60_000);

  it('refuses a port that is already taken', async () => {
    const running = await startEmbeddedPostgres({ dataDir: path.join(root, 'a') });
    try {
      await expect(startEmbeddedPostgres({ dataDir: path.join(root, 'b'), port: running.port, startTimeoutMs: 8_000 })).rejects.toThrow(
        /embedded PostgreSQL/,
      );
    } finally {
      await running.stop();
    }
  }, 60_000);
});
