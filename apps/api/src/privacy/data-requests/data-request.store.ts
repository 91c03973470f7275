import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { notFound } from '../../common/errors/app-error';
import { DATA_SOURCE } from '../../common/tokens';
import { queryRows } from '../../database/query-rows';
import type { AuditAction } from '../audit/audit-actions';
import { AuditLogService, type AuditActor } from '../audit/audit-log.service';
import type { DataRequestStatus } from './data-request-states';
import { wrongStatus } from './data-requests.errors';
import { DataRequestEntity } from './entities/data-request.entity';

/** A column value computed by SQL (e.g. `attempts + 1`) instead of a parameter. */
export class SqlExpression {
  constructor(readonly sql: string) {}
}

export interface Transition {
  from: readonly DataRequestStatus[];
  to: DataRequestStatus;
  /** Other columns to set (snake_case name → value or SqlExpression). */
  set?: Record<string, unknown>;
  /** A further condition, e.g. `(p) => \`AND execute_after <= ${p(now)}\`` (p adds a parameter). */
  where?: (param: (value: unknown) => string) => string;
  /** What the refusal says the request cannot be, e.g. `approved`. */
  verb: string;
  audit: { action: AuditAction; actor: AuditActor; reason?: string | null; details?: Record<string, unknown> };
}

/**
 * The data_requests table, and the one way its status changes: an UPDATE guarded by the
 * statuses it may leave (`WHERE status = ANY(from)`), so two approvals, an approval after a
 * rejection or an execution after a cancel cannot both win, even racing. The change and its
 * audit entry commit together.
 */
@Injectable()
export class DataRequestStore {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly audit: AuditLogService,
  ) {}

  find(id: string, manager: EntityManager = this.dataSource.manager): Promise<DataRequestEntity | null> {
    return manager.getRepository(DataRequestEntity).findOneBy({ id });
  }

  async findOrThrow(id: string, manager?: EntityManager): Promise<DataRequestEntity> {
    const row = await this.find(id, manager);
    if (!row) throw notFound('DataRequest');
    return row;
  }

  /** Applies the transition or throws (NOT_FOUND, or CONFLICT naming the current status). */
  async transition(manager: EntityManager, id: string, t: Transition): Promise<DataRequestEntity> {
    const moved = await this.tryTransition(manager, id, t);
    if (moved) return moved;
    const current = await this.findOrThrow(id, manager);
    throw wrongStatus(current.status, t.verb);
  }

  /** The transition, or null when the request is not in one of `from` (nothing changed, nothing audited). */
  async tryTransition(manager: EntityManager, id: string, t: Transition): Promise<DataRequestEntity | null> {
    const params: unknown[] = [id, t.from, t.to];
    const param = (value: unknown) => `$${params.push(value)}`;
    const assignments = [
      'status = $3',
      ...Object.entries(t.set ?? {}).map(([column, value]) => `${column} = ${value instanceof SqlExpression ? value.sql : param(value)}`),
    ].join(', ');
    const where = t.where?.(param) ?? '';
    const rows = await queryRows<{ id: string }>(
      manager,
      `UPDATE data_requests SET ${assignments} WHERE id = $1 AND status = ANY($2::text[]) ${where} RETURNING id`,
      params,
    );
    if (!rows.length) return null;
    const row = await this.findOrThrow(id, manager);
    await this.audit.record(
      {
        action: t.audit.action,
        actor: t.audit.actor,
        subjectUserId: row.subjectUserId,
        targetType: 'DATA_REQUEST',
        targetId: row.id,
        reason: t.audit.reason ?? null,
        details: { kind: row.kind, status: row.status, ...t.audit.details },
      },
      manager,
    );
    return row;
  }
}
