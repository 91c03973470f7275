import path from 'node:path';
import { startEmbeddedPostgres } from '@cutout/embedded-db';

/**
 * Runs `work` with a database URL: DATABASE_URL when set, else the app's embedded
 * PostgreSQL under <DATA_DIR>/postgres (or a throwaway one when `throwaway`).
 */
export async function withDatabase<T>(work: (url: string) => Promise<T>, options: { throwaway?: boolean } = {}): Promise<T> {
  if (process.env.DATABASE_URL) return work(process.env.DATABASE_URL);
  const dataDir = options.throwaway
    ? path.join(require('node:os').tmpdir(), `cutout-cli-${process.pid}-${Date.now()}`)
    : path.resolve(process.env.DATA_DIR ?? '.data', 'postgres');
  const pg = await startEmbeddedPostgres({ dataDir, persistent: !options.throwaway });
  try {
    return await work(pg.url);
  } finally {
    await pg.stop();
  }
}
