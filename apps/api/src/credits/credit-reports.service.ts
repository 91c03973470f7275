import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { badInput } from '../common/errors/app-error';
import type { Connection, PageArgs } from '../common/pagination/connection.types';
import { keysetPage } from '../common/pagination/keyset-page';
import { DATA_SOURCE } from '../common/tokens';
import type { TeamAccess } from '../teams/team-access.service';
import { quartersToCredits } from './credit-amounts';
import { toLedgerEntryOutput } from './credit.mapper';
import type { CreditLedgerEntryOutput, LedgerMismatchOutput, UsageDayOutput } from './dto/credit.outputs';
import { CreditLedgerEntryEntity } from './entities/credit-ledger-entry.entity';

/** The longest range `usage` answers, in days. */
export const MAX_USAGE_DAYS = 366;
const DAY_MS = 86_400_000;

/** Read side of the ledger: a team's entries, its usage per day, and the platform-wide health check. */
@Injectable()
export class CreditReportsService {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** The team's ledger entries, newest first (created_at DESC, id DESC; idx_credit_ledger_team_created). */
  ledger(access: TeamAccess, page: PageArgs): Promise<Connection<CreditLedgerEntryOutput>> {
    const query = this.dataSource
      .getRepository(CreditLedgerEntryEntity)
      .createQueryBuilder('l')
      .where('l.team_id = :teamId', { teamId: access.teamId });
    return keysetPage(query, page, { createdAt: 'l.created_at', id: 'l.id' }, (e) => e, toLedgerEntryOutput, 'DESC');
  }

  /** Every UTC day from `from`'s day to the day before `to` (exclusive): the jobs charged that day and their credits, net of their refunds. */
  async usage(access: TeamAccess, from: Date, to: Date): Promise<UsageDayOutput[]> {
    if (!(from.getTime() < to.getTime())) throw badInput('to', '`to` must be after `from`.');
    if (to.getTime() - from.getTime() > MAX_USAGE_DAYS * DAY_MS) throw badInput('to', `The range is at most ${MAX_USAGE_DAYS} days.`);
    const rows: { day: string; jobs: number; quarters: string }[] = await this.dataSource.query(
      `WITH days AS (
         SELECT generate_series(date_trunc('day', $2::timestamptz AT TIME ZONE 'UTC'),
                                $3::timestamptz AT TIME ZONE 'UTC' - interval '1 microsecond', interval '1 day') AS day
       ), spent AS (
         -- A refund counts on its charge's day (the job's own reference), whenever it came: a job queued before
         -- midnight and canceled after it nets to nothing on one day rather than +1 and -1 on two.
         SELECT date_trunc('day', c.created_at AT TIME ZONE 'UTC') AS day,
                count(*) FILTER (WHERE r.id IS NULL) AS jobs,
                -sum(c.amount_quarters + COALESCE(r.amount_quarters, 0)) AS quarters
         FROM credit_ledger c
         LEFT JOIN credit_ledger r ON r.kind = 'JOB_REFUND' AND r.reference = c.reference AND r.team_id = c.team_id
         WHERE c.team_id = $1 AND c.kind = 'JOB_CHARGE' AND c.created_at >= $2 AND c.created_at < $3
         GROUP BY 1
       )
       SELECT to_char(d.day, 'YYYY-MM-DD') AS day, COALESCE(s.jobs, 0)::int AS jobs, COALESCE(s.quarters, 0)::text AS quarters
       FROM days d LEFT JOIN spent s USING (day) ORDER BY d.day`,
      [access.teamId, from.toISOString(), to.toISOString()],
    );
    return rows.map((r) => ({ day: r.day, jobs: r.jobs, credits: quartersToCredits(Number(r.quarters)) }));
  }

  /** Teams whose stored balance (available − debt) is not their ledger sum; empty when healthy. */
  async mismatches(): Promise<LedgerMismatchOutput[]> {
    const rows: { teamId: string; balance: string; ledgerSum: string }[] = await this.dataSource.query(
      `SELECT team_id AS "teamId", COALESCE(b.available_quarters - b.debt_quarters, 0)::text AS balance,
              COALESCE(l.total, 0)::text AS "ledgerSum"
       FROM team_credit_balances b
       FULL OUTER JOIN (SELECT team_id, sum(amount_quarters) AS total FROM credit_ledger GROUP BY team_id) l USING (team_id)
       WHERE COALESCE(b.available_quarters - b.debt_quarters, 0) <> COALESCE(l.total, 0)
       ORDER BY team_id`,
    );
    return rows.map((r) => ({
      teamId: r.teamId,
      balance: quartersToCredits(Number(r.balance)),
      ledgerSum: quartersToCredits(Number(r.ledgerSum)),
    }));
  }
}
