import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '@cutout/embedded-db';
import type { Logger } from '../common/logger';
import type { ApiConfig } from '../config/api.config';
import { createDataSource } from '../database/data-source';

export interface Database {
  dataSource: DataSource;
  url: string;
  embedded?: EmbeddedPostgresHandle;
}

export async function ensureDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new Client(serverUrl);
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!exists.rowCount) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

export const embeddedUrlFile = (dataDir: string) => path.join(dataDir, 'embedded-postgres.json');

/**
 * Connects to DATABASE_URL, or starts the embedded PostgreSQL under <DATA_DIR>/postgres,
 * then applies every pending migration.
 */
export async function openDatabase(config: ApiConfig, logger: Logger): Promise<Database> {
  let url = config.DATABASE_URL;
  let embedded: EmbeddedPostgresHandle | undefined;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dataDir: path.join(config.dataDir, 'postgres'), persistent: true });
    await ensureDatabase(embedded.url, 'cutout');
    url = embedded.urlFor('cutout');
    // Lets CLIs (make-admin, migrate) reach this running cluster instead of starting a second one.
    fs.writeFileSync(embeddedUrlFile(config.dataDir), JSON.stringify({ url, pid: process.pid }), { mode: 0o600 });
    logger.info(
      { port: embedded.port, dataDir: path.join(config.dataDir, 'postgres') },
      'DATABASE_URL is not set: started embedded PostgreSQL',
    );
  }
  const dataSource = createDataSource(url);
  try {
    await dataSource.initialize();
    const applied = await dataSource.runMigrations();
    if (applied.length) logger.info({ migrations: applied.map((m) => m.name) }, 'applied migrations');
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
    throw error;
  }
  return { dataSource, url, embedded };
}
