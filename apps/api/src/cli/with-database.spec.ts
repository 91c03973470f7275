import path from 'node:path';
import { ConfigError } from '@cutout/config';
import { loadApiConfig } from '../config/api.config';
import { databaseLocation } from './with-database';

describe('databaseLocation (the admin tools)', () => {
  it('finds the database where the API does, an empty DATA_DIR meaning the default', () => {
    // Regression: `DATA_DIR ?? '.data'` took an empty value as the current folder, while the API used .data.
    for (const env of [{}, { DATA_DIR: '' }, { DATA_DIR: '/srv/cutout' }, { DATA_DIR: 'rel/dir' }]) {
      expect(databaseLocation(env).dataDir).toBe(loadApiConfig(env).dataDir);
    }
    expect(databaseLocation({ DATA_DIR: '' }).dataDir).toBe(path.resolve('.data'));
    expect(databaseLocation({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
    expect(databaseLocation({ DATABASE_URL: 'postgres://u@db/cutout' }).databaseUrl).toBe('postgres://u@db/cutout');
  });

  it('refuses a DATABASE_URL the API would refuse, naming it', () => {
    expect(() => databaseLocation({ DATABASE_URL: 'mysql://x' })).toThrow(ConfigError);
    expect(() => databaseLocation({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must be a postgres:\/\/ URL/);
  });
});
