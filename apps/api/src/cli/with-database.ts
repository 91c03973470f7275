import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { parseEnv } from '@cutout/config';
import { startEmbeddedPostgres } from '@cutout/embedded-db';
import { embeddedUrlFile, ensureDatabase } from '../bootstrap/database';
import { databaseEnvSchema } from '../config/api.config';

async function reachable(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * DATABASE_URL and DATA_DIR as the API reads them (the same checks; an empty value is unset), so an
 * admin tool finds the database the API uses. A bad value throws ConfigError naming the variable.
 */
export function databaseLocation(env: Record<string, string | undefined> = process.env): { databaseUrl?: string; dataDir: string } {
  const parsed = parseEnv(databaseEnvSchema, env);
  return { databaseUrl: parsed.DATABASE_URL, dataDir: path.resolve(parsed.DATA_DIR) };
}

/**
 * Runs `work` with the app's database URL: DATABASE_URL when set; else the embedded
 * cluster of a running API (from <DATA_DIR>/embedded-postgres.json), or one started
 * here on <DATA_DIR>/postgres; or a throwaway cluster when `throwaway`.
 */
export async function withDatabase<T>(work: (url: string) => Promise<T>, options: { throwaway?: boolean } = {}): Promise<T> {
  const { databaseUrl, dataDir } = databaseLocation();
  if (databaseUrl) return work(databaseUrl);
  if (!options.throwaway && fs.existsSync(embeddedUrlFile(dataDir))) {
    const { url } = JSON.parse(fs.readFileSync(embeddedUrlFile(dataDir), 'utf8')) as { url: string };
    if (await reachable(url)) return work(url);
  }
  const pg = await startEmbeddedPostgres({
    dataDir: options.throwaway ? path.join(os.tmpdir(), `cutout-cli-${process.pid}-${Date.now()}`) : path.join(dataDir, 'postgres'),
    persistent: !options.throwaway,
  });
  try {
    await ensureDatabase(pg.url, 'cutout');
    return await work(pg.urlFor('cutout'));
  } finally {
    await pg.stop();
  }
}
