import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock';
import type { Connection, PageArgs } from '../../common/pagination/connection.types';
import { keysetPage } from '../../common/pagination/keyset-page';
import { CLOCK, DATA_SOURCE } from '../../common/tokens';
import { PersonalDataService } from '../../crypto/personal-data.service';
import { queryRows } from '../../database/query-rows';
import { AuditAction } from '../audit/audit-actions';
import { AuditActors, AuditLogService } from '../audit/audit-log.service';
import { PersonalDataRegistry } from '../personal-data/personal-data.registry';
import { PolicyKind } from '../policies/dto/policy-kind.enum';
import { PoliciesService } from '../policies/policies.service';
import { CONSENT_CATEGORIES, ConsentCategory, type ConsentSource } from './dto/consent.enums';
import type { ConsentOutput } from './dto/consent.output';
import { ConsentRecordUserEntity } from './entities/consent-record-user.entity';
import { ConsentRecordEntity } from './entities/consent-record.entity';

/** Whose consent: a signed-in user, or an anonymous visitor (who may not have a visitor id yet). */
export type ConsentHolder = { kind: 'user'; userId: string } | { kind: 'visitor'; visitorId: string | undefined };

export interface ConsentChoice {
  categories: ConsentCategory[];
  policyVersion: string;
  source: ConsentSource;
  ip: string;
}

const toOutput = (r: ConsentRecordEntity): ConsentOutput => ({
  id: r.id,
  categories: r.categories,
  policyVersion: r.policyVersion,
  source: r.source,
  recordedAt: r.recordedAt,
});

/**
 * Cookie consent, an append-only history per account or anonymous visitor. A user's history is
 * the records linked to their account; a visitor's is the records of their visitor id that no
 * account has claimed (once a visitor signs in, those choices are the account's, and another
 * person at the same browser does not see them). The current choice is the newest record.
 */
@Injectable()
export class ConsentService implements OnModuleInit {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly policies: PoliciesService,
    private readonly personalData: PersonalDataService,
    private readonly audit: AuditLogService,
    private readonly registry: PersonalDataRegistry,
  ) {}

  onModuleInit(): void {
    // The records stay (append-only) as proof of each choice; their links to the person and what identifies them go.
    this.registry.register({
      name: 'consent',
      eraseOrder: 10,
      exportFor: async (subject) => {
        const rows = await this.historyQuery({ kind: 'user', userId: subject.userId }).orderBy('c.recorded_at', 'ASC').getMany();
        return {
          data: rows.map((r) => ({
            categories: r.categories,
            policyVersion: r.policyVersion,
            source: r.source,
            recordedAt: r.recordedAt.toISOString(),
          })),
        };
      },
      erase: async (subject, manager) => {
        const identifiersCleared = await this.clearIdentifiers(subject.userId, manager);
        const links = await manager.delete(ConsentRecordUserEntity, { userId: subject.userId });
        return { counts: { consentLinks: links.affected ?? 0, identifiersCleared } };
      },
    });
  }

  /**
   * For an erasure, before the person's links go: their choices keep what, which version, how and
   * when, and lose their visitor id and address hash; so does every record of those visitor ids
   * (their browser's), which would otherwise show the choices to that cookie again and join them to
   * the next account signed in there. Another person's choice made on the same browser (linked to
   * them) loses only the visitor id. Answers how many records changed.
   */
  private async clearIdentifiers(userId: string, manager: EntityManager): Promise<number> {
    const cleared = await queryRows<{ id: string }>(
      manager,
      `WITH theirs AS (SELECT consent_id AS id FROM consent_record_users WHERE user_id = $1),
            visitors AS (SELECT DISTINCT c.visitor_id FROM consent_records c JOIN theirs ON theirs.id = c.id WHERE c.visitor_id IS NOT NULL)
       UPDATE consent_records c SET
           visitor_id = NULL,
           ip_hash = CASE WHEN c.id IN (SELECT id FROM theirs)
                            OR NOT EXISTS (SELECT 1 FROM consent_record_users l WHERE l.consent_id = c.id)
                          THEN NULL ELSE c.ip_hash END
        WHERE (c.id IN (SELECT id FROM theirs) OR c.visitor_id IN (SELECT visitor_id FROM visitors))
          AND (c.visitor_id IS NOT NULL OR c.ip_hash IS NOT NULL)
       RETURNING c.id`,
      [userId],
    );
    return cleared.length;
  }

  /**
   * Records a choice (STRICTLY_NECESSARY always added) against the current cookie policy. For a
   * visitor without an id, one is made: the caller must set the `cutout_visitor` cookie to it.
   */
  async record(holder: ConsentHolder, choice: ConsentChoice): Promise<{ consent: ConsentOutput; newVisitorId?: string }> {
    this.policies.assertCurrent(PolicyKind.COOKIES, choice.policyVersion, 'policyVersion');
    const chosen = new Set([ConsentCategory.STRICTLY_NECESSARY, ...choice.categories]);
    const categories = CONSENT_CATEGORIES.filter((c) => chosen.has(c));
    const newVisitorId = holder.kind === 'visitor' && !holder.visitorId ? randomUUID() : undefined;
    const record = await this.dataSource.transaction(async (manager) => {
      const saved = await manager.getRepository(ConsentRecordEntity).save({
        visitorId: holder.kind === 'visitor' ? (holder.visitorId ?? newVisitorId) : null,
        categories,
        policyVersion: choice.policyVersion,
        source: choice.source,
        recordedAt: this.clock.now(),
        ipHash: this.personalData.pseudonym(choice.ip, 'consent-ip'),
      });
      if (holder.kind === 'user') {
        await manager.getRepository(ConsentRecordUserEntity).insert({ consentId: saved.id, userId: holder.userId });
        await this.audit.record(
          {
            action: AuditAction.CONSENT_CHANGED,
            actor: AuditActors.user(holder.userId),
            subjectUserId: holder.userId,
            targetType: 'CONSENT',
            targetId: saved.id,
            details: { categories, version: choice.policyVersion, source: choice.source },
          },
          manager,
        );
      }
      return saved;
    });
    return { consent: toOutput(record), newVisitorId };
  }

  /** The holder's current choice (their newest record), or null. */
  async current(holder: ConsentHolder): Promise<ConsentOutput | null> {
    if (holder.kind === 'visitor' && !holder.visitorId) return null;
    const newest = await this.historyQuery(holder).orderBy('c.recorded_at', 'DESC').addOrderBy('c.id', 'DESC').getOne();
    return newest ? toOutput(newest) : null;
  }

  /** The holder's own choices, oldest first (`DESC`: newest first, the cursor moving towards older ones). */
  async history(holder: ConsentHolder, args: PageArgs, direction: 'ASC' | 'DESC' = 'ASC'): Promise<Connection<ConsentOutput>> {
    if (holder.kind === 'visitor' && !holder.visitorId) return { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };
    return keysetPage(
      this.historyQuery(holder),
      args,
      { createdAt: 'c.recorded_at', id: 'c.id' },
      (r) => ({ createdAt: r.recordedAt, id: r.id }),
      toOutput,
      direction,
    );
  }

  /** On sign-in: the visitor's choices that no account has claimed yet become the user's. */
  async linkVisitor(visitorId: string | undefined, userId: string, manager: EntityManager = this.dataSource.manager): Promise<number> {
    if (!visitorId) return 0;
    const linked: unknown[] = await manager.query(
      `INSERT INTO consent_record_users (consent_id, user_id)
       SELECT c.id, $2 FROM consent_records c WHERE c.visitor_id = $1
       ON CONFLICT (consent_id) DO NOTHING RETURNING consent_id`,
      [visitorId, userId],
    );
    return linked.length;
  }

  private historyQuery(holder: ConsentHolder) {
    const query = this.dataSource.getRepository(ConsentRecordEntity).createQueryBuilder('c');
    if (holder.kind === 'user') {
      return query.innerJoin(ConsentRecordUserEntity, 'l', 'l.consent_id = c.id').where('l.user_id = :userId', { userId: holder.userId });
    }
    return query
      .where('c.visitor_id = :visitorId', { visitorId: holder.visitorId })
      .andWhere('NOT EXISTS (SELECT 1 FROM consent_record_users l WHERE l.consent_id = c.id)');
  }
}
