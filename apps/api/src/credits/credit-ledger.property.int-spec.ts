import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { aSignedInUser, aTeamWithMembers, type SignedInUser } from '../../testing/builders';
import { startTestApi, type TestApi } from '../../testing/test-api';
import type { AppError } from '../common/errors/app-error';
import { CreditReportsService } from './credit-reports.service';
import { CreditsService, type CreditBalanceQuarters, type LedgerChange } from './credits.service';

type Op =
  | { type: 'purchase'; q: number }
  | { type: 'charge'; q: number }
  | { type: 'refund'; i: number }
  | { type: 'reversal'; i: number }
  | { type: 'adjust'; q: number }
  | { type: 'replay'; i: number };

const OPS: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ type: fc.constant('purchase' as const), q: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ type: fc.constant('charge' as const), q: fc.integer({ min: 0, max: 12 }) }),
  fc.record({ type: fc.constant('refund' as const), i: fc.nat() }),
  fc.record({ type: fc.constant('reversal' as const), i: fc.nat() }),
  fc.record({ type: fc.constant('adjust' as const), q: fc.integer({ min: -40, max: 40 }).filter((q) => q !== 0) }),
  fc.record({ type: fc.constant('replay' as const), i: fc.nat() }),
);

/** The documented rules, written independently of the service: what a change does to (available, debt). */
function modelApply(b: CreditBalanceQuarters, change: LedgerChange): CreditBalanceQuarters | 'INSUFFICIENT_CREDITS' {
  const q = change.amountQuarters;
  if (change.kind === 'JOB_CHARGE') {
    if (b.debtQuarters > 0 || b.availableQuarters < -q) return 'INSUFFICIENT_CREDITS';
    return { availableQuarters: b.availableQuarters + q, debtQuarters: b.debtQuarters };
  }
  if (q < 0) {
    const taken = Math.min(b.availableQuarters, -q);
    return { availableQuarters: b.availableQuarters - taken, debtQuarters: b.debtQuarters - q - taken };
  }
  const paid = Math.min(b.debtQuarters, q);
  return { availableQuarters: b.availableQuarters + q - paid, debtQuarters: b.debtQuarters - paid };
}

/**
 * Random sequences of charges, refunds, purchases, reversals, adjustments and replays against
 * the real database: the balance is never negative, always equals the ledger sum and the model,
 * and the health check stays empty.
 */
describe('credit ledger (property)', () => {
  let t: TestApi;
  let owner: SignedInUser;
  let credits: CreditsService;

  beforeAll(async () => {
    t = await startTestApi({ ROLE: 'api' });
    owner = await aSignedInUser(t, 'property');
    credits = t.api.app.get(CreditsService);
  });
  afterAll(() => t?.close());

  const ledgerSum = async (teamId: string) =>
    Number(
      (await t.sql<{ s: string }>('SELECT COALESCE(sum(amount_quarters), 0) AS s FROM credit_ledger WHERE team_id = $1', [teamId]))[0].s,
    );

  it('keeps balance = ledger sum ≥ 0 after every step of any sequence', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(OPS, { maxLength: 30 }), async (ops) => {
        const teamId = await aTeamWithMembers(t, owner, [], 'Property');
        let model: CreditBalanceQuarters = { availableQuarters: 0, debtQuarters: 0 };
        const charges: LedgerChange[] = [];
        const purchases: LedgerChange[] = [];
        const applied: LedgerChange[] = [];

        for (const op of ops) {
          let change: LedgerChange | undefined;
          const fresh = (kind: LedgerChange['kind'], amountQuarters: number): LedgerChange => ({
            teamId,
            kind,
            amountQuarters,
            reference: randomUUID(),
          });
          if (op.type === 'purchase') change = fresh('PURCHASE', op.q);
          else if (op.type === 'charge') change = fresh('JOB_CHARGE', -op.q);
          else if (op.type === 'adjust') change = fresh('ADMIN_ADJUSTMENT', op.q);
          else if (op.type === 'refund' && charges.length) {
            const charge = charges[op.i % charges.length];
            change = { teamId, kind: 'JOB_REFUND', amountQuarters: -charge.amountQuarters, reference: charge.reference };
          } else if (op.type === 'reversal' && purchases.length) {
            const purchase = purchases[op.i % purchases.length];
            change = { teamId, kind: 'PAYMENT_REVERSAL', amountQuarters: -purchase.amountQuarters, reference: purchase.reference };
          } else if (op.type === 'replay' && applied.length) change = applied[op.i % applied.length];
          if (!change) continue;

          const seen = applied.some((a) => a.kind === change.kind && a.reference === change.reference);
          const expected = seen ? model : modelApply(model, change);
          if (expected === 'INSUFFICIENT_CREDITS') {
            await expect(credits.apply(change)).rejects.toMatchObject({ code: 'INSUFFICIENT_CREDITS' } satisfies Partial<AppError>);
          } else {
            const result = await credits.apply(change);
            expect(result.applied).toBe(!seen);
            expect(result.balance).toEqual(expected);
            if (!seen) {
              applied.push(change);
              if (change.kind === 'JOB_CHARGE') charges.push(change);
              if (change.kind === 'PURCHASE') purchases.push(change);
            }
            model = expected;
          }
          const stored = await credits.balance(teamId);
          expect(stored).toEqual(model);
          expect(stored.availableQuarters).toBeGreaterThanOrEqual(0);
          expect(stored.debtQuarters).toBeGreaterThanOrEqual(0);
          expect(stored.availableQuarters - stored.debtQuarters).toBe(await ledgerSum(teamId));
        }
        expect(await t.api.app.get(CreditReportsService).mismatches()).toEqual([]);
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
