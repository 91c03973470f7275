import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { DataSource } from 'typeorm';
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

  async sweep({ now, held }: SweepContext): Promise<Record<string, number>> {
    let unverifiedAccounts = 0;
    let after = NO_ID;
    for (;;) {
      const candidates = await queryRows<{ id: string }>(
        this.dataSource.manager,
        `SELECT u.id FROM users u
          WHERE u.email_verified_at IS NULL AND u.created_at <= $1::timestamptz - make_interval(days => $2)
            AND u.id > $3 AND NOT (u.id = ANY($4::uuid[]))
            AND NOT EXISTS (
              SELECT 1 FROM memberships m JOIN teams t ON t.id = m.team_id AND t.is_personal
               WHERE m.user_id = u.id AND (
                 EXISTS (SELECT 1 FROM credit_ledger l WHERE l.team_id = t.id)
                 OR EXISTS (SELECT 1 FROM purchases p WHERE p.team_id = t.id)
                 OR EXISTS (SELECT 1 FROM billing_customers b WHERE b.team_id = t.id)))
            AND NOT EXISTS (SELECT 1 FROM credit_ledger l WHERE l.actor_user_id = u.id)
            AND NOT EXISTS (SELECT 1 FROM purchases p WHERE p.created_by_user_id = u.id)
          ORDER BY u.id LIMIT $5`,
        [now, this.config.UNVERIFIED_ACCOUNT_MAX_DAYS, after, heldIds(held.userIds), SWEEP_BATCH_SIZE],
      );
      for (const { id } of candidates) {
        const subject = await this.subjects.resolveSubject(id);
        if (!subject || subject.personalTeamIds.some((teamId) => held.teamIds.has(teamId))) continue;
        try {
          await this.subjects.erase(subject);
          unverifiedAccounts += 1;
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          // LAST_OWNER or a hold placed meanwhile: the account stays; the next run tries again.
          this.logger.info({ userId: id, reason: error.details.reason }, 'an unverified account was kept');
        }
      }
      if (candidates.length < SWEEP_BATCH_SIZE) return { unverifiedAccounts };
      after = candidates[candidates.length - 1].id;
    }
  }
}
