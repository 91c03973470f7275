import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '../../common/request-context/principal';
import { DATA_SOURCE } from '../../common/tokens';
import { AuditActorKind, type AuditAction } from './audit-actions';
import { AuditLogEntryEntity } from './entities/audit-log-entry.entity';

/** Who acted, as the audit log stores it. */
export interface AuditActor {
  kind: AuditActorKind;
  userId?: string | null;
  apiKeyId?: string | null;
}

export interface AuditEntryInput {
  action: AuditAction;
  actor: AuditActor;
  teamId?: string | null;
  subjectUserId?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  reason?: string | null;
  /** Facts without personal data (ids, roles, counts). */
  details?: Record<string, unknown>;
}

export const AuditActors = {
  /** The caller of a GraphQL operation. */
  of(principal: Principal): AuditActor {
    return principal.kind === 'user'
      ? { kind: AuditActorKind.USER, userId: principal.userId }
      : { kind: AuditActorKind.API_KEY, userId: principal.userId, apiKeyId: principal.apiKeyId };
  },
  user: (userId: string): AuditActor => ({ kind: AuditActorKind.USER, userId }),
  system: (): AuditActor => ({ kind: AuditActorKind.SYSTEM }),
  operator: (): AuditActor => ({ kind: AuditActorKind.OPERATOR }),
};

/**
 * Writes the append-only audit log. Record inside the transaction that makes the change
 * (pass its manager), so an entry exists exactly when the change does.
 */
@Injectable()
export class AuditLogService {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async record(entry: AuditEntryInput, manager: EntityManager = this.dataSource.manager): Promise<AuditLogEntryEntity> {
    return manager.getRepository(AuditLogEntryEntity).save({
      action: entry.action,
      actorKind: entry.actor.kind,
      actorUserId: entry.actor.userId ?? null,
      actorApiKeyId: entry.actor.apiKeyId ?? null,
      teamId: entry.teamId ?? null,
      subjectUserId: entry.subjectUserId ?? null,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      reason: entry.reason ?? null,
      details: entry.details ?? {},
    });
  }
}
