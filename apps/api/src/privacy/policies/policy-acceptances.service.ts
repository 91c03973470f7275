import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock';
import { CLOCK, DATA_SOURCE } from '../../common/tokens';
import { AuditAction } from '../audit/audit-actions';
import { AuditActors, AuditLogService } from '../audit/audit-log.service';
import { PersonalDataRegistry } from '../personal-data/personal-data.registry';
import { userRowsSource } from '../personal-data/user-rows.source';
import { PolicyKind } from './dto/policy-kind.enum';
import { PolicyAcceptanceEntity } from './entities/policy-acceptance.entity';
import { PoliciesService } from './policies.service';

/**
 * Who accepted which version of the privacy policy. Only the current version can be accepted;
 * accepting it again changes nothing. A user must accept (again) while they have not accepted
 * the current version, e.g. after a new one is published.
 */
@Injectable()
export class PolicyAcceptancesService implements OnModuleInit {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly policies: PoliciesService,
    private readonly audit: AuditLogService,
    private readonly registry: PersonalDataRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(
      userRowsSource({
        name: 'policies',
        eraseOrder: 10,
        rows: (subject) => this.repo().find({ where: { userId: subject.userId }, order: { acceptedAt: 'ASC' } }),
        toExport: (a) => ({ kind: a.kind, version: a.version, acceptedAt: a.acceptedAt.toISOString() }),
        erases: PolicyAcceptanceEntity,
        countAs: 'policyAcceptances',
      }),
    );
  }

  /** Checks a version before anything is written (sign-up validates before it creates the account). */
  assertAcceptable(version: string, field = 'version'): void {
    this.policies.assertCurrent(PolicyKind.PRIVACY, version, field);
  }

  /**
   * Records that `userId` accepts `version` of the privacy policy (which must be current), with an
   * audit entry the first time; inside the caller's transaction when a manager is given.
   */
  async accept(userId: string, version: string, via: 'SIGN_UP' | 'ACCEPT_POLICY', manager?: EntityManager): Promise<void> {
    this.policies.assertCurrent(PolicyKind.PRIVACY, version, via === 'SIGN_UP' ? 'acceptedPolicyVersion' : 'version');
    const run = async (m: EntityManager) => {
      const inserted: { id: string }[] = await m.query(
        `INSERT INTO policy_acceptances (user_id, kind, version, accepted_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, kind, version) DO NOTHING RETURNING id`,
        [userId, PolicyKind.PRIVACY, version, this.clock.now()],
      );
      if (!inserted.length) return;
      await this.audit.record(
        {
          action: AuditAction.POLICY_ACCEPTED,
          actor: AuditActors.user(userId),
          subjectUserId: userId,
          targetType: 'POLICY',
          targetId: `${PolicyKind.PRIVACY}:${version}`,
          details: { kind: PolicyKind.PRIVACY, version, via },
        },
        m,
      );
    };
    if (manager) await run(manager);
    else await this.dataSource.transaction(run);
  }

  /** True while the user has not accepted the current version of the privacy policy. */
  async mustAccept(userId: string): Promise<boolean> {
    const current = this.policies.current(PolicyKind.PRIVACY);
    return !(await this.repo().existsBy({ userId, kind: PolicyKind.PRIVACY, version: current.version }));
  }

  private repo() {
    return this.dataSource.getRepository(PolicyAcceptanceEntity);
  }
}
