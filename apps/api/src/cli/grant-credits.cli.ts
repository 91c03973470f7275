import { PlatformAdmins } from '../accounts/platform-admins.service';
import 'reflect-metadata';
import { CreditAdminService } from '../credits/credit-admin.service';
import { CreditsService } from '../credits/credits.service';
import { createDataSource } from '../database/data-source';
import { AuditLogService } from '../privacy/audit/audit-log.service';
import { withDatabase } from './with-database';

const USAGE = 'usage: nx run api:grant-credits --team=<team id> --amount=<credits, e.g. 10 or -2.5> --reason=<why>';

function option(name: string): string | undefined {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  const value = arg?.slice(name.length + 3);
  return value && value !== 'undefined' ? value : undefined;
}

/**
 * Adds (or, with a negative amount, takes back) credits for a team, ledgered as ADMIN_ADJUSTMENT
 * with the reason and no actor (an operator at the console), and audited as CREDITS_ADJUSTED by an OPERATOR:
 *   npx nx run api:grant-credits --team=<id> --amount=10 --reason="support ticket 123"
 * Uses the same DATABASE_URL / DATA_DIR as the API.
 */
async function main(): Promise<void> {
  const teamId = option('team');
  const amountText = option('amount');
  const reason = option('reason');
  if (!teamId || !amountText || !reason) throw new Error(USAGE);
  const amount = Number(amountText);
  if (!/^-?\d+(\.\d+)?$/.test(amountText.trim())) throw new Error(`The amount must be a number of credits. ${USAGE}`);
  await withDatabase(async (url) => {
    const dataSource = createDataSource(url);
    await dataSource.initialize();
    try {
      const admin = new CreditAdminService(
        dataSource,
        new CreditsService(dataSource),
        new PlatformAdmins(dataSource),
        new AuditLogService(dataSource),
      );
      const { balance } = await admin.adjust({ teamId, amount, reason, actorUserId: null });
      console.log(
        `${amount > 0 ? 'Granted' : 'Took back'} ${Math.abs(amount)} credits: the team has ${balance.available} available, ${balance.debt} owed.`,
      );
    } finally {
      await dataSource.destroy();
    }
  });
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
