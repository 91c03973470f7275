import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UserDirectory } from '../accounts/user-directory.service';
import { queryRows } from '../database/query-rows';
import { PersonalDataRegistry, type DataSubject, type ErasureOutcome } from '../privacy/personal-data/personal-data.registry';
import { RequestLimits } from './request-limits.service';

/**
 * Rate limits' part of data-subject requests (source `rateLimits`, erase order 10): the buckets
 * keyed by the person (their mail-recipient counter) and by the teams erased with them are deleted.
 */
@Injectable()
export class RateLimitPersonalData implements OnModuleInit {
  constructor(
    private readonly registry: PersonalDataRegistry,
    private readonly limits: RequestLimits,
    private readonly users: UserDirectory,
  ) {}

  onModuleInit(): void {
    this.registry.register({ name: 'rateLimits', eraseOrder: 10, erase: (s, m) => this.erase(s, m) });
  }

  private async erase(subject: DataSubject, manager: EntityManager): Promise<ErasureOutcome> {
    const email = await this.users.emailOf(subject.userId, manager);
    const keys = email ? this.limits.subjectKeys(email, subject.personalTeamIds) : [];
    const removed = await queryRows(manager, 'DELETE FROM rate_limit_buckets WHERE key = ANY($1::text[]) RETURNING key', [keys]);
    return { counts: { buckets: removed.length } };
  }
}
