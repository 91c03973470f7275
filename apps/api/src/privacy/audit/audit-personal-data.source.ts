import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows } from '../../database/query-rows';
import {
  PersonalDataRegistry,
  type DataSubject,
  type ErasureOutcome,
  type ExportSection,
  type PersonalDataSource,
} from '../personal-data/personal-data.registry';
import { AuditLogQueryService } from './audit-log-query.service';

/**
 * The audit log's part of data-subject requests. Export: the entries where the person acted or
 * is the subject, with every other person's id blanked. Erasure: the entries stay (they are the
 * record that things happened) but lose both links to the person, which the append-only trigger allows.
 */
@Injectable()
export class AuditPersonalDataSource implements PersonalDataSource, OnModuleInit {
  readonly name = 'audit';
  readonly eraseOrder = 10;

  constructor(
    private readonly registry: PersonalDataRegistry,
    private readonly query: AuditLogQueryService,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async exportFor(subject: DataSubject): Promise<ExportSection> {
    const own = (userId: string | null) => (userId === subject.userId ? userId : null);
    const entries = await this.query.aboutUser(subject.userId);
    return { data: { entries: entries.map((e) => ({ ...e, actorUserId: own(e.actorUserId), subjectUserId: own(e.subjectUserId) })) } };
  }

  async erase(subject: DataSubject, manager: EntityManager): Promise<ErasureOutcome> {
    const unlinked = new Set<string>();
    for (const column of ['actor_user_id', 'subject_user_id']) {
      const rows = await queryRows<{ id: string }>(manager, `UPDATE audit_log SET ${column} = NULL WHERE ${column} = $1 RETURNING id`, [
        subject.userId,
      ]);
      for (const row of rows) unlinked.add(row.id);
    }
    return { counts: { auditEntriesUnlinked: unlinked.size } };
  }
}
