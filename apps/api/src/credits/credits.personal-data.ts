import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { UserDirectory } from '../accounts/user-directory.service';
import { DATA_SOURCE } from '../common/tokens';
import { PersonalDataService } from '../crypto/personal-data.service';
import { queryRows } from '../database/query-rows';
import { PersonalDataRegistry, type DataSubject, type ErasureOutcome } from '../privacy/personal-data/personal-data.registry';
import { TRIAL_HASH_CONTEXT } from './trial-credits.service';

/**
 * Credits' part of data-subject requests (source `credits`, erase order 40). Exported: the
 * ledger rows the person caused and those of the teams erased with them (amounts, kinds, dates,
 * an admin's reason; never another person's id). Erased: every link to the person
 * (`actor_user_id` cleared, which the append-only trigger allows); the rows keep amounts, kinds,
 * dates and their team (an anonymous tombstone when the team was erased), as accounting law
 * requires. Kept on purpose: the keyed hash in `trial_credit_grants` (one trial per address,
 * ever), reported as `trialGrantKept`.
 */
@Injectable()
export class CreditsPersonalData implements OnModuleInit {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly registry: PersonalDataRegistry,
    private readonly users: UserDirectory,
    private readonly personalData: PersonalDataService,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      name: 'credits',
      eraseOrder: 40,
      exportFor: async (s) => ({ data: await this.export(s) }),
      erase: (s, m) => this.erase(s, m),
    });
  }

  private async export(subject: DataSubject) {
    const rows = await queryRows<{ credits: string }>(
      this.dataSource.manager,
      `SELECT id, team_id AS "teamId", kind, amount_quarters / 4.0 AS credits, reason, created_at AS "createdAt",
              actor_user_id = $1 AS "causedByYou"
         FROM credit_ledger WHERE actor_user_id = $1 OR team_id = ANY($2::uuid[]) ORDER BY created_at, id`,
      [subject.userId, [...subject.personalTeamIds]],
    );
    return { ledger: rows.map((r) => ({ ...r, credits: Number(r.credits) })) };
  }

  private async erase(subject: DataSubject, manager: EntityManager): Promise<ErasureOutcome> {
    const unlinked = await queryRows(manager, 'UPDATE credit_ledger SET actor_user_id = NULL WHERE actor_user_id = $1 RETURNING id', [
      subject.userId,
    ]);
    const email = await this.users.emailOf(subject.userId, manager);
    const trial = email
      ? await queryRows(manager, 'SELECT 1 FROM trial_credit_grants WHERE email_hash = $1', [
          this.personalData.pseudonym(PersonalDataService.normalizeEmail(email), TRIAL_HASH_CONTEXT),
        ])
      : [];
    return { counts: { ledgerRowsUnlinked: unlinked.length, trialGrantKept: trial.length } };
  }
}
