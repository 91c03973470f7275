import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import type { Logger } from '../../common/logger';
import { DATA_SOURCE, LOGGER } from '../../common/tokens';
import { API_CONFIG, type ApiConfig } from '../../config/api.config';
import { queryRows } from '../../database/query-rows';
import { SubjectDataService } from '../personal-data/subject-data.service';
import { SweepRegistry, type SweepContext } from './sweep.registry';
import { heldIds, SWEEP_BATCH_SIZE } from './sweep-batches';

const NO_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Which users (`u`) the sweep erases, with $1 the run's time and $2 UNVERIFIED_ACCOUNT_MAX_DAYS:
 * never verified, old enough, and nothing financial names them or their personal team. One text for
 * the candidate query and the check under the erasure's lock, so the two cannot drift apart.
 */
const ERASABLE = `u.email_verified_at IS NULL AND u.created_at <= $1::timestamptz - make_interval(days => $2)
  AND NOT EXISTS (
    SELECT 1 FROM memberships m JOIN teams t ON t.id = m.team_id AND t.is_personal
     WHERE m.user_id = u.id AND (
       EXISTS (SELECT 1 FROM credit_ledger l WHERE l.team_id = t.id)
       OR EXISTS (SELECT 1 FROM purchases p WHERE p.team_id = t.id)
       OR EXISTS (SELECT 1 FROM billing_customers b WHERE b.team_id = t.id)))
  AND NOT EXISTS (SELECT 1 FROM credit_ledger l WHERE l.actor_user_id = u.id)
  AND NOT EXISTS (SELECT 1 FROM purchases p WHERE p.created_by_user_id = u.id)`;

/**
 * Sweep task `unverified-accounts`: an account whose email was never verified, created more
 * than UNVERIFIED_ACCOUNT_MAX_DAYS ago, is erased like a deletion request would (every domain's
 * personal-data source: the user row, their personal team with its data key, sessions, tokens …)
 * — unless anything financial names them or their personal team (ledger rows, purchases, a
 * billing customer), or a legal hold, or the last-owner rule stops it: then it stays.
 */
@Injectable()
export class UnverifiedAccountsRetention implements OnModuleInit {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly registry: SweepRegistry,
    private readonly subjects: SubjectDataService,
  ) {}

  onModuleInit(): void {
    this.registry.register({ name: 'unverified-accounts', run: (c) => this.sweep(c) });
  }

  async sweep({ now, held, committed }: SweepContext): Promise<Record<string, number>> {
    let unverifiedAccounts = 0;
    let after = NO_ID;
    for (;;) {
      const candidates = await queryRows<{ id: string }>(
        this.dataSource.manager,
        `SELECT u.id FROM users u
          WHERE ${ERASABLE} AND u.id > $3 AND NOT (u.id = ANY($4::uuid[]))
          ORDER BY u.id LIMIT $5`,
        [now, this.config.UNVERIFIED_ACCOUNT_MAX_DAYS, after, heldIds(held.userIds), SWEEP_BATCH_SIZE],
      );
      for (const { id } of candidates) {
        const subject = await this.subjects.resolveSubject(id);
        if (!subject || subject.personalTeamIds.some((teamId) => held.teamIds.has(teamId))) continue;
        try {
          await this.subjects.erase(subject, undefined, (locked, manager) => this.stillErasable(locked.userId, now, manager));
          unverifiedAccounts += 1;
          committed({ unverifiedAccounts: 1 });
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          // LAST_OWNER, a hold placed meanwhile, or PRECONDITION (verified or paying since the candidates
          // were read): the account stays; the next run looks again.
          this.logger.info({ userId: id, reason: error.details.reason }, 'an unverified account was kept');
        }
      }
      if (candidates.length < SWEEP_BATCH_SIZE) return { unverifiedAccounts };
      after = candidates[candidates.length - 1].id;
    }
  }

  /**
   * The candidate rule again for one user, read by the erasure under its lock on them: the candidates
   * were read before, and an account verified (which also grants trial credits) since is kept.
   */
  private async stillErasable(userId: string, now: Date, manager: EntityManager): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(manager, `SELECT u.id FROM users u WHERE ${ERASABLE} AND u.id = $3`, [
      now,
      this.config.UNVERIFIED_ACCOUNT_MAX_DAYS,
      userId,
    ]);
    return rows.length > 0;
  }
}
