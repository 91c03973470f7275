import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { notFound } from '../common/errors/app-error';
import { DATA_SOURCE } from '../common/tokens';
import { queryRows } from '../database/query-rows';
import { CREDIT_BALANCE_CHANNEL, type CreditBalanceEvent } from './credit-balance-event';
import type { CreditKind } from './credit-kind';
import { insufficientCredits } from './credits.errors';

export type { CreditKind } from './credit-kind';

/** A team's credits in integer quarter-credits (1 credit = 4). */
export interface CreditBalanceQuarters {
  availableQuarters: number;
  debtQuarters: number;
}

/** One change of a team's credits. Amounts are integer QUARTER-credits everywhere inside the API. */
export interface LedgerChange {
  teamId: string;
  kind: CreditKind;
  /** Signed: + grants/purchases/refunds, − charges/reversals. */
  amountQuarters: number;
  /** Job id, Stripe checkout-session / event id, admin request id …; unique per (kind, reference). */
  reference: string;
  /** The person who caused it, when there is one. */
  actorUserId?: string | null;
  /** Admin adjustments. */
  reason?: string | null;
}

export interface AppliedChange {
  entryId: string;
  /** false: (kind, reference) was already applied — nothing changed. */
  applied: boolean;
  balance: CreditBalanceQuarters;
}

/** The sign each kind allows (0 is allowed for kinds that may be free, e.g. a zero-cost job). */
const SIGN: Record<CreditKind, 'positive' | 'negative' | 'nonzero'> = {
  TRIAL_GRANT: 'positive',
  PURCHASE: 'positive',
  JOB_REFUND: 'positive',
  JOB_CHARGE: 'negative',
  PAYMENT_REVERSAL: 'negative',
  PAYMENT_REINSTATEMENT: 'positive',
  ADMIN_ADJUSTMENT: 'nonzero',
};

const ZERO: CreditBalanceQuarters = { availableQuarters: 0, debtQuarters: 0 };

/**
 * The credit ledger: the ONE place that changes credits. Every change is a row in `credit_ledger`
 * and an update of `team_credit_balances` in the same transaction, under the team's balance row lock.
 */
@Injectable()
export class CreditsService {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * Applies one change. Runs inside the caller's transaction when `manager` is given, else its own.
   * Idempotent on (kind, reference). JOB_CHARGE throws INSUFFICIENT_CREDITS when available < cost or
   * debt > 0 and changes nothing. Negative non-charge changes take what is available and record the
   * shortfall as debt; positive changes pay debt first, then add to available. Publishes
   * creditBalanceChanged with pg_notify in the same transaction (it leaves only on commit).
   */
  async apply(change: LedgerChange, manager?: EntityManager): Promise<AppliedChange> {
    assertWellFormed(change);
    if (!manager) return this.dataSource.transaction((own) => this.applyIn(own, change));
    if (!manager.queryRunner?.isTransactionActive) throw new Error('CreditsService.apply needs a manager inside a transaction');
    return this.applyIn(manager, change);
  }

  /** The ledger entry of (kind, reference), or null when that change was never applied. */
  async findEntry(
    kind: CreditKind,
    reference: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ teamId: string; amountQuarters: number } | null> {
    const rows = await queryRows<{ teamId: string; amountQuarters: number }>(
      manager,
      'SELECT team_id AS "teamId", amount_quarters AS "amountQuarters" FROM credit_ledger WHERE kind = $1 AND reference = $2',
      [kind, reference],
    );
    return rows[0] ?? null;
  }

  /** The team's current balance (0 and 0 for a team that never had credits). */
  async balance(teamId: string, manager: EntityManager = this.dataSource.manager): Promise<CreditBalanceQuarters> {
    const { availableQuarters, debtQuarters } = await this.versionedBalance(teamId, manager);
    return { availableQuarters, debtQuarters };
  }

  /** The balance with its version (the number of changes applied): orders it among balance events. */
  async versionedBalance(teamId: string, manager: EntityManager = this.dataSource.manager): Promise<Omit<CreditBalanceEvent, 'teamId'>> {
    const rows = await queryRows<Omit<CreditBalanceEvent, 'teamId'>>(
      manager,
      `SELECT available_quarters AS "availableQuarters", debt_quarters AS "debtQuarters", version FROM team_credit_balances WHERE team_id = $1`,
      [teamId],
    );
    return rows[0] ?? { ...ZERO, version: 0 };
  }

  private async applyIn(manager: EntityManager, change: LedgerChange): Promise<AppliedChange> {
    const current = await this.lockBalance(manager, change.teamId);
    const existing = await queryRows<{ id: string }>(manager, 'SELECT id FROM credit_ledger WHERE kind = $1 AND reference = $2', [
      change.kind,
      change.reference,
    ]);
    if (existing.length) return { entryId: existing[0].id, applied: false, balance: current };

    const next = nextBalance(current, change);
    const inserted = await queryRows<{ id: string }>(
      manager,
      `INSERT INTO credit_ledger (team_id, amount_quarters, kind, reference, actor_user_id, reason)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (kind, reference) DO NOTHING RETURNING id`,
      [change.teamId, change.amountQuarters, change.kind, change.reference, change.actorUserId ?? null, change.reason ?? null],
    );
    if (!inserted.length) {
      // Applied at the same moment for another team (references are unique per kind across teams).
      const [row] = await queryRows<{ id: string }>(manager, 'SELECT id FROM credit_ledger WHERE kind = $1 AND reference = $2', [
        change.kind,
        change.reference,
      ]);
      return { entryId: row.id, applied: false, balance: current };
    }
    const [{ version }] = await queryRows<{ version: number }>(
      manager,
      `UPDATE team_credit_balances SET available_quarters = $2, debt_quarters = $3, version = version + 1, updated_at = now()
       WHERE team_id = $1 RETURNING version`,
      [change.teamId, next.availableQuarters, next.debtQuarters],
    );
    const event: CreditBalanceEvent = { teamId: change.teamId, ...next, version };
    await manager.query('SELECT pg_notify($1, $2)', [CREDIT_BALANCE_CHANNEL, JSON.stringify(event)]);
    return { entryId: inserted[0].id, applied: true, balance: next };
  }

  /** Locks the team's balance row until the transaction ends, creating it on first use. */
  private async lockBalance(manager: EntityManager, teamId: string): Promise<CreditBalanceQuarters> {
    const select = () =>
      queryRows<CreditBalanceQuarters>(
        manager,
        `SELECT available_quarters AS "availableQuarters", debt_quarters AS "debtQuarters"
         FROM team_credit_balances WHERE team_id = $1 FOR UPDATE`,
        [teamId],
      );
    const [row] = await select();
    if (row) return row;
    try {
      await manager.query('INSERT INTO team_credit_balances (team_id) VALUES ($1) ON CONFLICT (team_id) DO NOTHING', [teamId]);
    } catch (error) {
      if ((error as { driverError?: { code?: string } }).driverError?.code === '23503') throw notFound('Team');
      throw error;
    }
    const [created] = await select();
    return created;
  }
}

function assertWellFormed(change: LedgerChange): void {
  const amount = change.amountQuarters;
  const sign = SIGN[change.kind];
  if (!sign) throw new Error(`unknown credit kind ${String(change.kind)}`);
  const fits = Number.isSafeInteger(amount) && Math.abs(amount) <= 2 ** 31 - 1;
  const signed = sign === 'positive' ? amount >= 0 : sign === 'negative' ? amount <= 0 : amount !== 0;
  if (!fits || !signed) throw new Error(`invalid ${change.kind} amount ${amount} quarters`);
  if (!change.reference) throw new Error('a ledger change needs a reference');
}

/** The balance after `change`; INSUFFICIENT_CREDITS for a charge the team cannot pay. */
export function nextBalance(current: CreditBalanceQuarters, change: Pick<LedgerChange, 'kind' | 'amountQuarters'>): CreditBalanceQuarters {
  const { availableQuarters: available, debtQuarters: debt } = current;
  const amount = change.amountQuarters;
  if (change.kind === 'JOB_CHARGE') {
    const cost = -amount;
    if (debt > 0 || available < cost) throw insufficientCredits(cost, available, debt);
    return { availableQuarters: available - cost, debtQuarters: debt };
  }
  if (amount < 0) {
    const taken = Math.min(available, -amount);
    return { availableQuarters: available - taken, debtQuarters: debt + (-amount - taken) };
  }
  const paid = Math.min(debt, amount);
  return { availableQuarters: available + amount - paid, debtQuarters: debt - paid };
}
