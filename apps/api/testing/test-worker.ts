import { startApi, type ApiHandle } from '../src/bootstrap/start-api';
import { createLogger } from '../src/common/logger';
import { loadApiConfig } from '../src/config/api.config';
import type { TestApi } from './test-api';

/**
 * Another process of the same platform in this test process (ROLE=worker unless `env` says
 * otherwise): same database, data folder and master key as `t`, its own settings on top.
 */
export function startTestWorker(t: TestApi, env: Record<string, string> = {}): Promise<ApiHandle> {
  return startApi(loadApiConfig({ ...t.env, PORT: '0', ROLE: 'worker', ...env }), createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'));
}
