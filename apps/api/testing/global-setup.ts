import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '@cutout/embedded-db';

declare global {
  var __CUTOUT_TEST_PG__: EmbeddedPostgresHandle | undefined;
}

/**
 * One real PostgreSQL for the whole run: DATABASE_URL when set, else an embedded,
 * throwaway cluster. Each test file creates its own database on it.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env.CUTOUT_TEST_PG_URL = process.env.DATABASE_URL;
    return;
  }
  const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'cutout-test-pg-')), 'data');
  globalThis.__CUTOUT_TEST_PG__ = await startEmbeddedPostgres({ dataDir, persistent: false });
  process.env.CUTOUT_TEST_PG_URL = globalThis.__CUTOUT_TEST_PG__.url;
}
