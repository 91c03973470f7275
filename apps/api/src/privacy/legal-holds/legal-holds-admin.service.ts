import { Inject, Injectable } from '@nestjs/common';
import { IsNull, type DataSource } from 'typeorm';
import { conflict, notFound } from '../../common/errors/app-error';
import type { Connection } from '../../common/pagination/connection.types';
import { keysetPage } from '../../common/pagination/keyset-page';
import { parseName } from '../../common/text-rules';
import { DATA_SOURCE } from '../../common/tokens';
import { assertUuid } from '../../common/uuid';
import { AuditAction } from '../audit/audit-actions';
import { AuditActors, AuditLogService } from '../audit/audit-log.service';
import type { LegalHoldsArgs, PlaceLegalHoldInput, ReleaseLegalHoldInput } from './dto/legal-hold.inputs';
import type { LegalHoldOutput } from './dto/legal-hold.output';
import { LegalHoldEntity, LegalHoldSubjectKind } from './entities/legal-hold.entity';
import { toLegalHoldOutput } from './legal-hold.mapper';
import { LegalHoldsService } from './legal-holds.service';

const SUBJECT_TABLE: Record<LegalHoldSubjectKind, string> = { USER: 'users', TEAM: 'teams' };

const alreadyHeld = () => conflict('This subject is already under an active legal hold; release it first.');

/**
 * Placing and releasing legal holds (platform admins; the resolver checks that). Each change and
 * its audit entry commit together; on any error nothing changes. Reading active holds for the
 * sweeper and the deletion executor is LegalHoldsService's.
 */
@Injectable()
export class LegalHoldsAdminService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly audit: AuditLogService,
    private readonly holds: LegalHoldsService,
  ) {}

  /** NOT_FOUND for a subject that does not exist, CONFLICT when it is already held, BAD_USER_INPUT for a bad reference. */
  async place(adminUserId: string, input: PlaceLegalHoldInput): Promise<LegalHoldOutput> {
    const reference = parseName(input.reference, 'reference', 'References', 200);
    const { kind, id: subjectId } = input.subject;
    if (!(kind in SUBJECT_TABLE)) throw notFound('Legal hold subject');
    assertUuid(subjectId, 'Legal hold subject');
    try {
      return await this.dataSource.transaction(async (manager) => {
        // A sweep batch that deletes by the holds waits for this commit (or this waits for the batch's).
        await this.holds.lockForPlacing(manager);
        // The row stays locked against deletion until the hold is committed (the executor then sees it).
        const subject = await manager.query(`SELECT id FROM ${SUBJECT_TABLE[kind]} WHERE id = $1 FOR KEY SHARE`, [subjectId]);
        if (!subject.length) throw notFound('Legal hold subject');
        const holds = manager.getRepository(LegalHoldEntity);
        if (await holds.existsBy({ subjectKind: kind, subjectId, releasedAt: IsNull() })) throw alreadyHeld();
        const hold = await holds.save(holds.create({ subjectKind: kind, subjectId, reference, placedByUserId: adminUserId }));
        await this.audit.record(
          {
            action: AuditAction.LEGAL_HOLD_PLACED,
            actor: AuditActors.user(adminUserId),
            ...this.auditSubject(hold),
            reason: reference,
          },
          manager,
        );
        return toLegalHoldOutput(await holds.findOneByOrFail({ id: hold.id }));
      });
    } catch (error) {
      // Another admin placed one at the same moment: the unique index on active holds refused this one.
      if ((error as { driverError?: { code?: string } }).driverError?.code === '23505') throw alreadyHeld();
      throw error;
    }
  }

  /** NOT_FOUND for an unknown hold, CONFLICT when it is already released, BAD_USER_INPUT for a bad reason. */
  async release(adminUserId: string, input: ReleaseLegalHoldInput): Promise<LegalHoldOutput> {
    const reason = parseName(input.reason, 'reason', 'Reasons', 500);
    assertUuid(input.id, 'Legal hold');
    return this.dataSource.transaction(async (manager) => {
      const holds = manager.getRepository(LegalHoldEntity);
      const hold = await holds.findOne({ where: { id: input.id }, lock: { mode: 'pessimistic_write' } });
      if (!hold) throw notFound('Legal hold');
      if (hold.releasedAt) throw conflict('This legal hold is already released.');
      await manager.query('UPDATE legal_holds SET released_at = now(), released_by_user_id = $2, release_reason = $3 WHERE id = $1', [
        hold.id,
        adminUserId,
        reason,
      ]);
      await this.audit.record(
        { action: AuditAction.LEGAL_HOLD_RELEASED, actor: AuditActors.user(adminUserId), ...this.auditSubject(hold), reason },
        manager,
      );
      return toLegalHoldOutput(await holds.findOneByOrFail({ id: hold.id }));
    });
  }

  /** Holds, oldest first; only active ones unless `activeOnly` is false. */
  list(args: LegalHoldsArgs): Promise<Connection<LegalHoldOutput>> {
    const query = this.dataSource.getRepository(LegalHoldEntity).createQueryBuilder('h');
    if (args.activeOnly !== false) query.where('h.released_at IS NULL');
    return keysetPage(
      query,
      args,
      { createdAt: 'h.placed_at', id: 'h.id' },
      (h) => ({ createdAt: h.placedAt, id: h.id }),
      toLegalHoldOutput,
    );
  }

  /** How an entry names the hold's subject: a user as its subject, a team as its team (so the filters find both). */
  private auditSubject(hold: LegalHoldEntity) {
    return {
      subjectUserId: hold.subjectKind === LegalHoldSubjectKind.USER ? hold.subjectId : null,
      teamId: hold.subjectKind === LegalHoldSubjectKind.TEAM ? hold.subjectId : null,
      targetType: 'LEGAL_HOLD',
      targetId: hold.id,
      details: { subjectKind: hold.subjectKind },
    };
  }
}
