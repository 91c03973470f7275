import { PlatformAdmins } from '../accounts/platform-admins.service';
import 'reflect-metadata';
import { AppError } from '../common/errors/app-error';
import { parseIdempotencyKey } from '../common/text-rules';
import { CreditAdminService } from '../credits/credit-admin.service';
import { CreditsService } from '../credits/credits.service';
import { createDataSource } from '../database/data-source';
import { AuditLogService } from '../privacy/audit/audit-log.service';
import { withDatabase } from './with-database';

const USAGE =
  'usage: nx run api:grant-credits --team=<team id> --amount=<credits, e.g. 10 or -2.5> --reason=<why> [--idempotency-key=<key>]';

function option(name: string): string | undefined {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  const value = arg?.slice(name.length + 3);
  return value && value !== 'undefined' ? value : undefined;
}

/**
 * Adds (or, with a negative amount, takes back) credits for a team, ledgered as ADMIN_ADJUSTMENT
 * with the reason and no actor (an operator at the console), and audited as CREDITS_ADJUSTED by an OPERATOR:
 *   npx nx run api:grant-credits --team=<id> --amount=10 --reason="support ticket 123" --idempotency-key=ticket-123
 * With an idempotency key (as adjustCredits': 1–128 letters, digits or . _ : -, unique per adjustment within the team)
 * running it again applies nothing and says so; an empty key is no key (nx passes a missing argument as empty).
 * Refused input prints its error code (e.g. BAD_USER_INPUT (idempotencyKey): …) and changes nothing.
 * Uses the same DATABASE_URL / DATA_DIR as the API.
 */
async function main(): Promise<void> {
  const teamId = option('team');
  const amountText = option('amount');
  const reason = option('reason');
  const idempotencyKey = option('idempotency-key') ?? null;
  if (!teamId || !amountText || !reason) throw new Error(USAGE);
  const amount = Number(amountText);
  if (!/^-?\d+(\.\d+)?$/.test(amountText.trim())) throw new Error(`The amount must be a number of credits. ${USAGE}`);
  // Checked again by the service; here too, so that a malformed key is refused before the database is reached.
  if (idempotencyKey !== null) parseIdempotencyKey(idempotencyKey);
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
      const { applied, entry, balance } = await admin.adjust({ teamId, amount, reason, actorUserId: null, idempotencyKey });
      const team = `the team has ${balance.available} available, ${balance.debt} owed.`;
      console.log(
        applied
          ? `${amount > 0 ? 'Granted' : 'Took back'} ${Math.abs(amount)} credits: ${team}`
          : `Already applied with this idempotency key (${entry.amount} credits, "${entry.reason}", ${entry.createdAt.toISOString()}): nothing changed; ${team}`,
      );
    } finally {
      await dataSource.destroy();
    }
  });
}

main().catch((e) => {
  if (e instanceof AppError) {
    const field = typeof e.details.field === 'string' ? ` (${e.details.field})` : '';
    console.error(`${e.code}${field}: ${e.message}`);
  } else console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
