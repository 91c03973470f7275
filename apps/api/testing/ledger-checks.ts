import type { TestApi } from './test-api';

/** A team's stored balance beside the sum of its ledger rows (quarter-credits). */
export interface LedgerTotals {
  availableQuarters: number;
  debtQuarters: number;
  ledgerSumQuarters: number;
}

export async function ledgerTotals(t: TestApi, teamId: string): Promise<LedgerTotals> {
  const [row] = await t.sql<{ available: number | null; debt: number | null; sum: number }>(
    `SELECT b.available_quarters AS available, b.debt_quarters AS debt,
            (SELECT COALESCE(sum(amount_quarters), 0)::int FROM credit_ledger WHERE team_id = $1) AS sum
     FROM (SELECT $1::uuid AS team_id) AS t LEFT JOIN team_credit_balances b ON b.team_id = t.team_id`,
    [teamId],
  );
  return { availableQuarters: row.available ?? 0, debtQuarters: row.debt ?? 0, ledgerSumQuarters: row.sum };
}

/**
 * Everything that breaks the ledger's rules for a team (empty when healthy): the balance
 * (available − debt) must equal the ledger's sum, and every job must have exactly one charge row
 * of its price and a refund row of the whole charge exactly when it ended FAILED or CANCELED.
 */
export async function ledgerProblems(t: TestApi, teamId: string): Promise<string[]> {
  const problems: string[] = [];
  const totals = await ledgerTotals(t, teamId);
  if (totals.availableQuarters - totals.debtQuarters !== totals.ledgerSumQuarters)
    problems.push(`team ${teamId}: balance ${JSON.stringify(totals)} is not the ledger's sum`);
  const jobs = await t.sql<{ id: string; status: string; charged: number; refunded: number; charges: number[]; refunds: number[] }>(
    `SELECT j.id, j.status, j.credits_charged_quarters AS charged, j.credits_refunded_quarters AS refunded,
            ARRAY(SELECT amount_quarters FROM credit_ledger WHERE kind = 'JOB_CHARGE' AND reference = j.id::text) AS charges,
            ARRAY(SELECT amount_quarters FROM credit_ledger WHERE kind = 'JOB_REFUND' AND reference = j.id::text) AS refunds
     FROM jobs j WHERE j.team_id = $1`,
    [teamId],
  );
  for (const job of jobs) {
    const ended = job.status === 'FAILED' || job.status === 'CANCELED';
    const expected = { charges: [-job.charged], refunds: ended && job.charged > 0 ? [job.charged] : [], refunded: ended ? job.charged : 0 };
    const actual = { charges: job.charges, refunds: job.refunds, refunded: job.refunded };
    if (JSON.stringify(actual) !== JSON.stringify(expected))
      problems.push(`job ${job.id} (${job.status}): ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  }
  return problems;
}
