import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findFreePort, startEmbeddedPostgres } from '@cutout/embedded-db';
import { startApi, type ApiHandle } from '../src/bootstrap/start-api';
import { createLogger } from '../src/common/logger';
import { loadApiConfig, type ApiConfig } from '../src/config/api.config';

/** Progress lines go to stderr; stdout carries only the figures (and `--json`). */
export const log = (...m: unknown[]) => console.error(...m);

/** A whole-number command-line option, at least 1. */
export function whole(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number >= 1; got ${value}`);
  return n;
}

export const r1 = (x: number) => Math.round(x * 10) / 10;

/** The lower median (an actual run's figure when the count is even). */
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

export interface BenchApi {
  api: ApiHandle;
  config: ApiConfig;
  base: string;
  sql<T>(query: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * The real API (ROLE=api: no worker, no schedule, no inference calls) on its own embedded
 * PostgreSQL and data folder in a temporary directory, removed by `close`.
 */
export async function startBenchApi(name: string, env: Record<string, string> = {}): Promise<BenchApi> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `cutout-bench-${name}-`));
  const pg = await startEmbeddedPostgres({ dataDir: path.join(root, 'pg') });
  const config = loadApiConfig({
    PORT: String(await findFreePort()),
    HOST: '127.0.0.1',
    DATABASE_URL: pg.url,
    DATA_DIR: path.join(root, 'data'),
    MASTER_KEY: randomBytes(32).toString('base64'),
    // No worker runs in ROLE=api: nothing calls this address.
    INFERENCE_URLS: '127.0.0.1:1',
    ROLE: 'api',
    LOG_LEVEL: 'warn',
    ...env,
  });
  const api = await startApi(config, createLogger('warn'));
  return {
    api,
    config,
    base: `http://127.0.0.1:${api.port}`,
    sql: <T>(query: string, params?: unknown[]) => api.database.dataSource.query(query, params) as Promise<T[]>,
    async close() {
      await api.close();
      await pg.stop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
