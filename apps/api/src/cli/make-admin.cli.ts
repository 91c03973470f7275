import 'reflect-metadata';
import { parseEmail } from '../accounts/email.rules';
import { loadApiConfig } from '../config/api.config';
import { createLogger } from '../common/logger';
import { resolveMasterKey } from '../config/master-key';
import { KeyRing } from '@cutout/crypto';
import { createDataSource } from '../database/data-source';
import { queryRows } from '../database/query-rows';
import { withDatabase } from './with-database';

/**
 * Marks a user as platform administrator (or removes the flag with --revoke):
 *   npx nx run api:make-admin --email=ada@example.com
 * Uses the same DATABASE_URL / DATA_DIR / MASTER_KEY as the API.
 */
async function main(): Promise<void> {
  const arg = process.argv.find((a) => a.startsWith('--email='));
  const revoke = process.argv.includes('--revoke');
  if (!arg || arg === '--email=' || arg === '--email=undefined')
    throw new Error('usage: nx run api:make-admin --email=<address> [--revoke]');
  const email = parseEmail(arg.slice('--email='.length));
  const config = loadApiConfig();
  const keyRing = new KeyRing(resolveMasterKey(config, createLogger('warn', 'make-admin')));
  const index = keyRing.blindIndex(email, 'email');
  await withDatabase(async (url) => {
    const dataSource = createDataSource(url);
    await dataSource.initialize();
    try {
      const ids = await queryRows<{ id: string }>(
        dataSource.manager,
        'UPDATE users SET is_platform_admin = $2, updated_at = now() WHERE email_index = $1 RETURNING id',
        [index, !revoke],
      );
      if (!ids.length) throw new Error(`No user with the email ${email}.`);
      console.log(`${email} is ${revoke ? 'no longer' : 'now'} a platform administrator.`);
    } finally {
      await dataSource.destroy();
    }
  });
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
