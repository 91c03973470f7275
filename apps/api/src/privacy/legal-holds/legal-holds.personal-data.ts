import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows } from '../../database/query-rows';
import {
  PersonalDataRegistry,
  type DataSubject,
  type ErasureOutcome,
  type PersonalDataSource,
} from '../personal-data/personal-data.registry';

/**
 * Legal holds' part of data-subject requests. Export: nothing (a hold is not shown to its subject).
 * Erasure: released holds on the person or on a team erased with them are deleted (they pause
 * nothing any more; the append-only audit log keeps LEGAL_HOLD_PLACED/RELEASED with the reference
 * and dates, its person links cleared), and the person stops being the admin who placed or released
 * a hold on someone else. Active holds on the person never get here: they refuse the erasure.
 */
@Injectable()
export class LegalHoldsPersonalData implements PersonalDataSource, OnModuleInit {
  readonly name = 'legal-holds';
  readonly eraseOrder = 10;

  constructor(private readonly registry: PersonalDataRegistry) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async erase(subject: DataSubject, manager: EntityManager): Promise<ErasureOutcome> {
    const removed = await queryRows<{ id: string }>(
      manager,
      `DELETE FROM legal_holds WHERE released_at IS NOT NULL
          AND ((subject_kind = 'USER' AND subject_id = $1) OR (subject_kind = 'TEAM' AND subject_id = ANY($2::uuid[])))
        RETURNING id`,
      [subject.userId, [...subject.personalTeamIds]],
    );
    const unlinked = await queryRows<{ id: string }>(
      manager,
      `UPDATE legal_holds SET placed_by_user_id = NULLIF(placed_by_user_id, $1), released_by_user_id = NULLIF(released_by_user_id, $1)
        WHERE $1 IN (placed_by_user_id, released_by_user_id) RETURNING id`,
      [subject.userId],
    );
    return { counts: { releasedHoldsRemoved: removed.length, adminLinksCleared: unlinked.length } };
  }
}
