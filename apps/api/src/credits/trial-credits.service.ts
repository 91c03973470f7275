import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { PersonalDataService } from '../crypto/personal-data.service';
import { queryRows } from '../database/query-rows';
import { creditsToQuarters } from './credit-amounts';
import { CreditsService } from './credits.service';

/** Context of the keyed hash of granted addresses (distinct from the users' email index: not joinable with it). */
export const TRIAL_HASH_CONTEXT = 'trial-credits';

/**
 * Trial credits: TRIAL_CREDITS for the user's personal team, once per email address ever —
 * not per team (createTeam in a loop mints nothing) and not again after the account is deleted
 * and the address signs up anew. Granted addresses are kept as a keyed hash only.
 */
@Injectable()
export class TrialCreditsService {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly personalData: PersonalDataService,
    private readonly credits: CreditsService,
  ) {}

  /** Inside the caller's transaction (email verification). Returns whether credits were granted. */
  async grantOnVerification(userId: string, email: string, manager: EntityManager): Promise<boolean> {
    const amountQuarters = creditsToQuarters(this.config.TRIAL_CREDITS, 'TRIAL_CREDITS');
    if (amountQuarters <= 0) return false;
    const teams = await queryRows<{ id: string }>(
      manager,
      `SELECT t.id FROM teams t JOIN memberships m ON m.team_id = t.id
       WHERE m.user_id = $1 AND m.role = 'OWNER' AND t.is_personal ORDER BY t.created_at LIMIT 1`,
      [userId],
    );
    if (!teams.length) return false;
    const emailHash = this.personalData.pseudonym(PersonalDataService.normalizeEmail(email), TRIAL_HASH_CONTEXT);
    const claimed = await queryRows<{ email_hash: string }>(
      manager,
      'INSERT INTO trial_credit_grants (email_hash) VALUES ($1) ON CONFLICT (email_hash) DO NOTHING RETURNING email_hash',
      [emailHash],
    );
    if (!claimed.length) return false;
    const applied = await this.credits.apply(
      { teamId: teams[0].id, kind: 'TRIAL_GRANT', amountQuarters, reference: emailHash, actorUserId: userId },
      manager,
    );
    return applied.applied;
  }
}
