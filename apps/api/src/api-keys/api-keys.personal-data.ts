import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { AccessEventsService } from '../access-events/access-events.service';
import { DATA_SOURCE } from '../common/tokens';
import { queryRows } from '../database/query-rows';
import { PersonalDataRegistry, type DataSubject, type ErasureOutcome } from '../privacy/personal-data/personal-data.registry';

/**
 * API keys' part of data-subject requests (source `apiKeys`, erase order 10): the keys the
 * person created (names and prefixes, never secrets or hashes) in exports; erased: the keys
 * they created, and every key of the teams erased with them. Each stops at once: the row is
 * gone (HTTP) and `apiKeyRevoked` closes its open WebSockets on every replica on commit.
 */
@Injectable()
export class ApiKeysPersonalData implements OnModuleInit {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly registry: PersonalDataRegistry,
    private readonly accessEvents: AccessEventsService,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      name: 'apiKeys',
      eraseOrder: 10,
      exportFor: async (s) => ({ data: await this.export(s) }),
      erase: (s, m) => this.erase(s, m),
    });
  }

  private export(subject: DataSubject) {
    return queryRows(
      this.dataSource.manager,
      `SELECT id, team_id AS "teamId", name, prefix, created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"
         FROM api_keys WHERE created_by_user_id = $1 ORDER BY created_at, id`,
      [subject.userId],
    );
  }

  private async erase(subject: DataSubject, manager: EntityManager): Promise<ErasureOutcome> {
    const keys = await queryRows<{ id: string }>(
      manager,
      'DELETE FROM api_keys WHERE created_by_user_id = $1 OR team_id = ANY($2::uuid[]) RETURNING id',
      [subject.userId, [...subject.personalTeamIds]],
    );
    for (const { id } of keys) await this.accessEvents.publish(manager, { kind: 'apiKeyRevoked', apiKeyId: id });
    return { counts: { deleted: keys.length } };
  }
}
