import 'reflect-metadata';
import { parseEmail } from '../accounts/email.rules';
import { loadApiConfig } from '../config/api.config';
import { createLogger } from '../common/logger';
import { resolveMasterKey } from '../config/master-key';
import { KeyRing } from '@cutout/crypto';
import { createDataSource } from '../database/data-source';
import { queryRows } from '../database/query-rows';
import { AuditAction } from '../privacy/audit/audit-actions';
import { AuditActors, AuditLogService } from '../privacy/audit/audit-log.service';
import { withDatabase } from './with-database';

/**
 * Marks a user as platform administrator (or removes the flag with --revoke), audited as
 * PLATFORM_ADMIN_GRANTED / PLATFORM_ADMIN_REVOKED by an OPERATOR in the same transaction
 * (nothing is written when the flag already has that value):
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
      const changed = await dataSource.transaction(async (manager) => {
        const [user] = await queryRows<{ id: string; is_platform_admin: boolean }>(
          manager,
          'SELECT id, is_platform_admin FROM users WHERE email_index = $1 FOR UPDATE',
          [index],
        );
        if (!user) throw new Error(`No user with the email ${email}.`);
        if (user.is_platform_admin === !revoke) return false;
        await manager.query('UPDATE users SET is_platform_admin = $2, updated_at = now() WHERE id = $1', [user.id, !revoke]);
        await new AuditLogService(dataSource).record(
          {
            action: revoke ? AuditAction.PLATFORM_ADMIN_REVOKED : AuditAction.PLATFORM_ADMIN_GRANTED,
            actor: AuditActors.operator(),
            subjectUserId: user.id,
          },
          manager,
        );
        return true;
      });
      console.log(`${email} is ${changed ? (revoke ? 'no longer' : 'now') : revoke ? 'already not' : 'already'} a platform administrator.`);
    } finally {
      await dataSource.destroy();
    }
  });
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
