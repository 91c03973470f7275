import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { aSignedInUser, aTeamWithMembers, type SignedInUser } from '../../testing/builders';
import { startTestApi, type TestApi } from '../../testing/test-api';
import { AppError } from '../common/errors/app-error';
import { CreditReportsService } from './credit-reports.service';
import { CreditsService, type LedgerChange } from './credits.service';

/** The ledger's rules, through the one service method that changes credits and against the database's own guards. */
describe('credit ledger', () => {
  let t: TestApi;
  let owner: SignedInUser;
  let credits: CreditsService;

  beforeAll(async () => {
    t = await startTestApi({ ROLE: 'api' });
    owner = await aSignedInUser(t, 'ledger');
    credits = t.api.app.get(CreditsService);
  });
  afterAll(() => t?.close());

  const aTeam = () => aTeamWithMembers(t, owner, [], 'Ledger');
  const change = (teamId: string, kind: LedgerChange['kind'], amountQuarters: number, reference: string = randomUUID()): LedgerChange => ({
    teamId,
    kind,
    amountQuarters,
    reference,
  });
  const ledgerSum = async (teamId: string) =>
    Number(
      (await t.sql<{ s: string }>('SELECT COALESCE(sum(amount_quarters), 0) AS s FROM credit_ledger WHERE team_id = $1', [teamId]))[0].s,
    );

  it('starts a new team at 0 and 0, and keeps available − debt equal to the ledger sum', async () => {
    const teamId = await aTeam();
    expect(await credits.balance(teamId)).toEqual({ availableQuarters: 0, debtQuarters: 0 });
    await credits.apply(change(teamId, 'PURCHASE', 40));
    await credits.apply(change(teamId, 'JOB_CHARGE', -5));
    expect(await credits.balance(teamId)).toEqual({ availableQuarters: 35, debtQuarters: 0 });
    expect(await ledgerSum(teamId)).toBe(35);
  });

  it('refuses a charge above what is available with INSUFFICIENT_CREDITS (in credits) and changes nothing', async () => {
    const teamId = await aTeam();
    await credits.apply(change(teamId, 'PURCHASE', 3));
    const refused = credits.apply(change(teamId, 'JOB_CHARGE', -4));
    await expect(refused).rejects.toMatchObject({ code: 'INSUFFICIENT_CREDITS', details: { required: 1, available: 0.75 } });
    expect(await credits.balance(teamId)).toEqual({ availableQuarters: 3, debtQuarters: 0 });
    expect(await t.sql('SELECT kind FROM credit_ledger WHERE team_id = $1', [teamId])).toEqual([{ kind: 'PURCHASE' }]);
  });

  it('records a reversal beyond what is available as debt, refuses charges while in debt, and pays the debt first', async () => {
    const teamId = await aTeam();
    await credits.apply(change(teamId, 'PURCHASE', 40));
    await credits.apply(change(teamId, 'JOB_CHARGE', -30));
    expect((await credits.apply(change(teamId, 'PAYMENT_REVERSAL', -40))).balance).toEqual({ availableQuarters: 0, debtQuarters: 30 });
    await expect(credits.apply(change(teamId, 'JOB_CHARGE', 0))).rejects.toMatchObject({
      code: 'INSUFFICIENT_CREDITS',
      details: { debt: 7.5 },
    });
    expect((await credits.apply(change(teamId, 'ADMIN_ADJUSTMENT', 20))).balance).toEqual({ availableQuarters: 0, debtQuarters: 10 });
    expect((await credits.apply(change(teamId, 'PURCHASE', 14))).balance).toEqual({ availableQuarters: 4, debtQuarters: 0 });
    expect(await ledgerSum(teamId)).toBe(4);
  });

  it('applies a (kind, reference) once: a repeat is a no-op that returns the first entry, even when it could no longer pay', async () => {
    const teamId = await aTeam();
    await credits.apply(change(teamId, 'PURCHASE', 4));
    const first = await credits.apply(change(teamId, 'JOB_CHARGE', -4, 'job-1'));
    const again = await credits.apply(change(teamId, 'JOB_CHARGE', -4, 'job-1'));
    expect(again).toEqual({ entryId: first.entryId, applied: false, balance: { availableQuarters: 0, debtQuarters: 0 } });
    // The same reference under another kind is another change.
    expect((await credits.apply(change(teamId, 'JOB_REFUND', 4, 'job-1'))).applied).toBe(true);
    expect((await credits.apply(change(teamId, 'JOB_REFUND', 4, 'job-1'))).applied).toBe(false);
    expect(await credits.balance(teamId)).toEqual({ availableQuarters: 4, debtQuarters: 0 });
    expect(await t.sql('SELECT count(*)::int AS n FROM credit_ledger WHERE team_id = $1', [teamId])).toEqual([{ n: 3 }]);
  });

  it('runs in the caller’s transaction: rolled back with it, and refuses a manager outside a transaction', async () => {
    const teamId = await aTeam();
    const dataSource = t.api.database.dataSource;
    await expect(
      dataSource.transaction(async (manager) => {
        await credits.apply(change(teamId, 'PURCHASE', 8), manager);
        throw new Error('the caller fails after');
      }),
    ).rejects.toThrow('the caller fails after');
    expect(await credits.balance(teamId)).toEqual({ availableQuarters: 0, debtQuarters: 0 });
    expect(await ledgerSum(teamId)).toBe(0);
    await expect(credits.apply(change(teamId, 'PURCHASE', 8), dataSource.manager)).rejects.toThrow(/inside a transaction/);
  });

  it('refuses malformed changes before touching the database: fractions of a quarter, wrong signs, unknown teams', async () => {
    const teamId = await aTeam();
    await expect(credits.apply(change(teamId, 'PURCHASE', 0.5))).rejects.toThrow(/invalid PURCHASE amount/);
    await expect(credits.apply(change(teamId, 'JOB_CHARGE', 4))).rejects.toThrow(/invalid JOB_CHARGE amount/);
    await expect(credits.apply(change(teamId, 'ADMIN_ADJUSTMENT', 0))).rejects.toThrow(/invalid ADMIN_ADJUSTMENT amount/);
    await expect(credits.apply(change(teamId, 'PURCHASE', Number.NaN))).rejects.toThrow(/invalid/);
    await expect(credits.apply(change(randomUUID(), 'PURCHASE', 4))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await ledgerSum(teamId)).toBe(0);
  });

  it('serialises concurrent charges on the team’s balance row: exactly as many succeed as the credits pay for', async () => {
    const teamId = await aTeam();
    await credits.apply(change(teamId, 'PURCHASE', 12));
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => credits.apply(change(teamId, 'JOB_CHARGE', -4))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    const refusals = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as AppError] : []));
    expect(refusals.map((e) => e.code)).toEqual(Array(17).fill('INSUFFICIENT_CREDITS'));
    expect(await credits.balance(teamId)).toEqual({ availableQuarters: 0, debtQuarters: 0 });
    expect(await ledgerSum(teamId)).toBe(0);
  });

  describe('the database refuses to rewrite history', () => {
    let teamId: string;
    let entryId: string;
    beforeAll(async () => {
      teamId = await aTeam();
      entryId = (await credits.apply({ ...change(teamId, 'ADMIN_ADJUSTMENT', 8), actorUserId: owner.id, reason: 'goodwill' })).entryId;
    });

    it.each([
      ['amount', 'amount_quarters = 800'],
      ['kind', "kind = 'PURCHASE'"],
      ['reference', "reference = 'other'"],
      ['team', 'team_id = gen_random_uuid()'],
      ['time', "created_at = created_at - interval '1 day'"],
      ['reason', "reason = 'edited'"],
      ['actor (to another person)', 'actor_user_id = gen_random_uuid()'],
    ])('UPDATE of the %s', async (_what, assignment) => {
      await expect(t.sql(`UPDATE credit_ledger SET ${assignment} WHERE id = $1`, [entryId])).rejects.toThrow(/append-only/);
      expect(await ledgerSum(teamId)).toBe(8);
    });

    it('DELETE and TRUNCATE', async () => {
      await expect(t.sql('DELETE FROM credit_ledger WHERE id = $1', [entryId])).rejects.toThrow(/cannot be deleted/);
      await expect(t.sql('TRUNCATE credit_ledger CASCADE')).rejects.toThrow(/cannot be truncated/);
      expect(await ledgerSum(teamId)).toBe(8);
    });

    it('a balance below zero (CHECK)', async () => {
      await expect(t.sql('UPDATE team_credit_balances SET available_quarters = -1 WHERE team_id = $1', [teamId])).rejects.toThrow(
        /chk_team_credit_balances_available/,
      );
      await expect(t.sql('UPDATE team_credit_balances SET debt_quarters = -1 WHERE team_id = $1', [teamId])).rejects.toThrow(
        /chk_team_credit_balances_debt/,
      );
    });

    it('but lets a deleted person’s link be cleared (ON DELETE SET NULL), keeping the amounts', async () => {
      const actor = await aSignedInUser(t, 'actor');
      const team = await aTeam();
      const { entryId: id } = await credits.apply({ ...change(team, 'ADMIN_ADJUSTMENT', 4), actorUserId: actor.id, reason: 'r' });
      await t.sql('DELETE FROM users WHERE id = $1', [actor.id]);
      expect(await t.sql('SELECT actor_user_id, amount_quarters, reason FROM credit_ledger WHERE id = $1', [id])).toEqual([
        { actor_user_id: null, amount_quarters: 4, reason: 'r' },
      ]);
    });
  });

  /** `npx nx run api:grant-credits` runs this file; called here directly, against the test database. */
  const grantCredits = (...args: string[]) =>
    promisify(execFile)(process.execPath, ['-r', '@swc-node/register', 'apps/api/src/cli/grant-credits.cli.ts', ...args], {
      cwd: path.join(__dirname, '..', '..', '..', '..'),
      env: { ...process.env, DATABASE_URL: t.env.DATABASE_URL },
    });

  it('grant-credits (CLI) ledgers an ADMIN_ADJUSTMENT with the reason and no actor; refuses a bad amount and changes nothing', async () => {
    const teamId = await aTeam();
    const { stdout } = await grantCredits(`--team=${teamId}`, '--amount=2.75', '--reason=support ticket 7');
    expect(stdout).toContain('2.75 available');
    expect(await t.sql('SELECT kind, amount_quarters, reason, actor_user_id FROM credit_ledger WHERE team_id = $1', [teamId])).toEqual([
      { kind: 'ADMIN_ADJUSTMENT', amount_quarters: 11, reason: 'support ticket 7', actor_user_id: null },
    ]);
    await expect(grantCredits(`--team=${teamId}`, '--amount=0.1', '--reason=x')).rejects.toMatchObject({ stderr: /multiples of 0\.25/ });
    await expect(grantCredits(`--team=${teamId}`, '--amount=1')).rejects.toMatchObject({ stderr: /usage/ });
    expect(await ledgerSum(teamId)).toBe(11);
  }, 60_000);

  it('grant-credits (CLI) with --idempotency-key applies a retry once, per team; a malformed key is refused with BAD_USER_INPUT and changes nothing', async () => {
    const [teamId, other] = await Promise.all([aTeam(), aTeam()]);
    const rows = (team: string) =>
      t.sql<{ amount_quarters: number; reference: string; reason: string }>(
        `SELECT amount_quarters, reference, reason FROM credit_ledger WHERE team_id = $1 AND kind = 'ADMIN_ADJUSTMENT'`,
        [team],
      );
    const grant = (team: string, ...args: string[]) => grantCredits(`--team=${team}`, '--amount=2', '--reason=ticket 8', ...args);

    const first = await grant(teamId, '--idempotency-key=ticket-8:goodwill');
    expect(first.stdout).toContain('Granted 2 credits');
    // The operator's retry (the first run's answer was lost, or it is run again by mistake): nothing more is applied.
    // Even with the team's id in upper case (regression: the reference was built from the id as typed, so it applied twice).
    const retry = await grant(teamId.toUpperCase(), '--idempotency-key=ticket-8:goodwill');
    expect(retry.stdout).toMatch(/^Already applied with this idempotency key .*: nothing changed; the team has 2 available, 0 owed\.$/m);
    expect(await rows(teamId)).toEqual([{ amount_quarters: 8, reference: `admin:${teamId}:ticket-8:goodwill`, reason: 'ticket 8' }]);
    expect(await ledgerSum(teamId)).toBe(8);
    // The key is the team's: another team's grant with it is its own adjustment.
    expect((await grant(other, '--idempotency-key=ticket-8:goodwill')).stdout).toContain('Granted 2 credits');
    expect(await ledgerSum(other)).toBe(8);

    for (const key of ['has space', 'x'.repeat(129), 'ticket/8']) {
      await expect(grant(teamId, `--idempotency-key=${key}`)).rejects.toMatchObject({
        stderr: /^BAD_USER_INPUT \(idempotencyKey\): idempotencyKey has 1 to 128 letters, digits or \. _ : -/m,
      });
    }
    // Without a key (nx passes a missing argument as an empty value) every run is its own adjustment, as before.
    await grant(teamId, '--idempotency-key=');
    expect(await ledgerSum(teamId)).toBe(16);
    expect(await rows(teamId)).toHaveLength(2);
  }, 90_000);

  it('ledger health lists a team whose stored balance drifted from its ledger, and nothing when healthy', async () => {
    const reports = t.api.app.get(CreditReportsService);
    expect(await reports.mismatches()).toEqual([]);
    const teamId = await aTeam();
    await credits.apply(change(teamId, 'PURCHASE', 4));
    // Only a superuser bypassing the service could do this; the health check is there to notice.
    await t.sql('UPDATE team_credit_balances SET available_quarters = 5 WHERE team_id = $1', [teamId]);
    expect(await reports.mismatches()).toEqual([{ teamId, balance: 1.25, ledgerSum: 1 }]);
    await t.sql('UPDATE team_credit_balances SET available_quarters = 4 WHERE team_id = $1', [teamId]);
    expect(await reports.mismatches()).toEqual([]);
  });
});
