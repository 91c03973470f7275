import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { AccessEventsService } from '../access-events/access-events.service';
import { DATA_SOURCE } from '../common/tokens';
import { PersonalDataService } from '../crypto/personal-data.service';
import { queryRows } from '../database/query-rows';
import { PersonalDataRegistry, type DataSubject, type ErasureOutcome } from '../privacy/personal-data/personal-data.registry';
import { UserEntity } from './entities/user.entity';

/**
 * The account's part of data-subject requests (source `account`, erase order 90, last):
 * the profile in exports; sessions, mail tokens and the user row erased. Every session stops
 * at once: the rows are gone (HTTP) and `userSessionsEnded` closes open WebSockets on every
 * replica when the erasure commits.
 */
@Injectable()
export class AccountsPersonalData implements OnModuleInit {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly registry: PersonalDataRegistry,
    private readonly personalData: PersonalDataService,
    private readonly accessEvents: AccessEventsService,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      name: 'account',
      eraseOrder: 90,
      exportFor: async (s) => ({ data: await this.profile(s) }),
      erase: (s, m) => this.erase(s, m),
    });
  }

  private async profile(subject: DataSubject) {
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ id: subject.userId });
    if (!user) return null;
    return {
      id: user.id,
      email: this.personalData.openEmail(user.emailCiphertext),
      emailVerified: user.emailVerifiedAt !== null,
      emailVerifiedAt: user.emailVerifiedAt,
      isPlatformAdmin: user.isPlatformAdmin,
      createdAt: user.createdAt,
    };
  }

  private async erase(subject: DataSubject, manager: EntityManager): Promise<ErasureOutcome> {
    const sessions = await queryRows(manager, 'DELETE FROM sessions WHERE user_id = $1 RETURNING id', [subject.userId]);
    const tokens = await queryRows(manager, 'DELETE FROM account_tokens WHERE user_id = $1 RETURNING id', [subject.userId]);
    await this.accessEvents.publish(manager, { kind: 'userSessionsEnded', userId: subject.userId });
    const users = await queryRows(manager, 'DELETE FROM users WHERE id = $1 RETURNING id', [subject.userId]);
    return { counts: { sessions: sessions.length, mailTokens: tokens.length, users: users.length } };
  }
}
