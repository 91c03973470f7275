import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { badInput } from '../common/errors/app-error';
import type { Principal } from '../common/request-context/principal';
import { DATA_SOURCE } from '../common/tokens';
import { parseIdempotencyKey, parseName } from '../common/text-rules';
import { assertUuid } from '../common/uuid';
import { creditsToQuarters, QUARTERS_PER_CREDIT } from './credit-amounts';
import { toCreditBalanceOutput, toLedgerEntryOutput } from './credit.mapper';
import { PlatformAdmins } from '../accounts/platform-admins.service';
import { AuditAction } from '../privacy/audit/audit-actions';
import { AuditActors, AuditLogService } from '../privacy/audit/audit-log.service';
import { CreditsService } from './credits.service';
import type { CreditAdjustmentOutput } from './dto/credit.outputs';
import { CreditLedgerEntryEntity } from './entities/credit-ledger-entry.entity';

/** The largest single admin adjustment, in credits (either way). */
export const MAX_ADJUSTMENT_CREDITS = 1_000_000;

export interface Adjustment {
  teamId: string;
  /** Credits (a non-zero multiple of 0.25). */
  amount: number;
  reason: string;
  /** The admin who asked; null from the operator CLI. */
  actorUserId: string | null;
  /** Makes a retry safe: the same key for the same team returns the first adjustment, applied once. */
  idempotencyKey?: string | null;
}

/** What an adjustment answers (GraphQL: entry and balance), and whether this request applied it (false: a retry of its key). */
export interface AppliedAdjustment extends CreditAdjustmentOutput {
  applied: boolean;
}

/** Platform-admin operations on credits: manual adjustments (GraphQL and the grant-credits CLI). */
@Injectable()
export class CreditAdminService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly credits: CreditsService,
    private readonly admins: PlatformAdmins,
    private readonly audit: AuditLogService,
  ) {}

  /** A signed-in user flagged `is_platform_admin` (see `make-admin`); API keys never are. */
  assertPlatformAdmin(principal: Principal | null): Promise<string> {
    return this.admins.assertPlatformAdmin(principal);
  }

  /**
   * Ledgered as ADMIN_ADJUSTMENT with the actor and reason; a negative amount beyond what is available becomes debt.
   * Audited as CREDITS_ADJUSTED in the same transaction: by the admin (USER), or by an OPERATOR when `actorUserId` is null (the CLI).
   * With an idempotency key the ledger reference is the team's key, so a retry (even at the same moment) finds the first
   * adjustment and applies nothing: it answers that entry and the current balance, and is not audited again. As for
   * removeBackground, the first request wins: a retry's amount and reason are not compared with it.
   */
  async adjust(input: Adjustment): Promise<AppliedAdjustment> {
    const amountQuarters = creditsToQuarters(input.amount, 'amount');
    if (amountQuarters === 0 || Math.abs(amountQuarters) > MAX_ADJUSTMENT_CREDITS * QUARTERS_PER_CREDIT) {
      throw badInput('amount', `The amount is a non-zero number of credits, at most ${MAX_ADJUSTMENT_CREDITS} either way.`);
    }
    const reason = parseName(input.reason, 'reason', 'Reasons', 500);
    const key = input.idempotencyKey == null ? null : parseIdempotencyKey(input.idempotencyKey);
    const teamId = assertUuid(input.teamId, 'Team');
    const applied = await this.dataSource.transaction(async (manager) => {
      const change = await this.credits.apply(
        {
          teamId,
          kind: 'ADMIN_ADJUSTMENT',
          amountQuarters,
          // References are unique per kind across teams: a key is the team's (a random id never holds a second colon).
          reference: key ? `admin:${teamId}:${key}` : `admin:${randomUUID()}`,
          actorUserId: input.actorUserId,
          reason,
        },
        manager,
      );
      if (!change.applied) return change;
      await this.audit.record(
        {
          action: AuditAction.CREDITS_ADJUSTED,
          actor: input.actorUserId ? AuditActors.user(input.actorUserId) : AuditActors.operator(),
          teamId,
          targetType: 'CREDIT_LEDGER_ENTRY',
          targetId: change.entryId,
          reason,
          details: { amount: input.amount },
        },
        manager,
      );
      return change;
    });
    const entry = await this.dataSource.getRepository(CreditLedgerEntryEntity).findOneByOrFail({ id: applied.entryId });
    return { entry: toLedgerEntryOutput(entry), balance: toCreditBalanceOutput(applied.balance), applied: applied.applied };
  }
}
