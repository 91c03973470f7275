import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '@cutout/config';
import { KEY_BYTES, parseMasterKey } from '@cutout/crypto';
import type { Logger } from '../common/logger';
import type { ApiConfig } from './api.config';

/**
 * The master key from MASTER_KEY; outside production, when it is unset, a key kept
 * in <DATA_DIR>/master.key (created once, mode 0600).
 */
export function resolveMasterKey(config: Pick<ApiConfig, 'MASTER_KEY' | 'isProduction' | 'dataDir'>, logger: Logger): Buffer {
  if (config.MASTER_KEY) {
    try {
      return parseMasterKey(config.MASTER_KEY);
    } catch (e) {
      throw new ConfigError([{ variable: 'MASTER_KEY', message: (e as Error).message }]);
    }
  }
  if (config.isProduction) throw new ConfigError([{ variable: 'MASTER_KEY', message: 'is required in production' }]);
  const file = path.join(config.dataDir, 'master.key');
  if (fs.existsSync(file)) return parseMasterKey(fs.readFileSync(file, 'utf8'));
  fs.mkdirSync(config.dataDir, { recursive: true });
  fs.writeFileSync(file, randomBytes(KEY_BYTES).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  logger.warn({ file }, 'MASTER_KEY is not set: generated a development master key (set MASTER_KEY in production)');
  return parseMasterKey(fs.readFileSync(file, 'utf8'));
}
