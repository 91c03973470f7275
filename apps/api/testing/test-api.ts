import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findFreePort } from '@cutout/embedded-db';
import { startApi, type ApiHandle } from '../src/bootstrap/start-api';
import type { Clock } from '../src/common/clock';
import { createLogger } from '../src/common/logger';
import { loadApiConfig } from '../src/config/api.config';
import { MailOutbox } from '../src/mail/mail-outbox.service';
import type { SentMail } from '../src/mail/mailer';
import { TestClient } from './graphql-client';
import { createTestDatabase } from './test-database';

export interface TestApi {
  api: ApiHandle;
  url: string;
  dataDir: string;
  /** The environment it was started with (database, data folder, master key …): for more replicas or workers. */
  env: Record<string, string>;
  /** Log records written so far (parsed JSON lines), when started with `logLevel`. */
  logs(): Record<string, unknown>[];
  /** A new anonymous client (its own cookie jar). */
  client(): TestClient;
  /** Mails sent so far, newest first, after every queued mail has left. */
  mailbox(): Promise<SentMail[]>;
  /** The `token` parameter of the newest mail to `to` (optionally whose subject matches). */
  tokenFromMail(to: string, subject?: RegExp): Promise<string>;
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** The real API (HTTP + WebSocket) on a free port, with its own database and data folder. */
export async function startTestApi(
  env: Record<string, string> = {},
  options: { logLevel?: string; /** e.g. a FakeClock, to move retention and grace periods forward */ clock?: Clock } = {},
): Promise<TestApi> {
  const database = await createTestDatabase();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cutout-api-test-'));
  const fullEnv = {
    NODE_ENV: 'test',
    PORT: String(await findFreePort()),
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
    ...env,
  };
  const config = loadApiConfig(fullEnv);
  const lines: string[] = [];
  const logger = options.logLevel
    ? createLogger(options.logLevel, 'api', { write: (line: string) => void lines.push(line) })
    : createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const api = await startApi(config, logger, { clock: options.clock });
  const url = `http://127.0.0.1:${api.port}`;

  const mailbox = async () => {
    await api.app.get(MailOutbox).idle();
    const res = await fetch(`${url}/dev/mailbox`);
    return (await res.json()) as SentMail[];
  };

  return {
    api,
    url,
    dataDir,
    env: fullEnv,
    logs: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    client: () => new TestClient(url),
    mailbox,
    async tokenFromMail(to, subject) {
      const mail = (await mailbox()).find((m) => m.to === to && (!subject || subject.test(m.subject)));
      const token = mail && /[?&]token=([^\s"&]+)/.exec(mail.text)?.[1];
      if (!token) throw new Error(`no mail with a token for ${to}`);
      return decodeURIComponent(token);
    },
    sql: (query, params) => api.database.dataSource.query(query, params),
    async close() {
      await api.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
