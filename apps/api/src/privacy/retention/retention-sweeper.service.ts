import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock';
import type { Logger } from '../../common/logger';
import { CLOCK, LOGGER } from '../../common/tokens';
import { AuditAction } from '../audit/audit-actions';
import { AuditActors, AuditLogService } from '../audit/audit-log.service';
import { LegalHoldsService } from '../legal-holds/legal-holds.service';
import { SweepRegistry } from './sweep.registry';

export interface SweepReport {
  startedAt: Date;
  durationMs: number;
  counts: Record<string, number>;
  /** Tasks that threw (the others still ran); the next run tries them again. */
  failed: string[];
}

/**
 * One run of the retention sweeper: every registered task with the clock's time and the
 * active legal holds (as the run begins, and as each batch's own transaction reads them), then
 * one audit entry with the counts (only when something was removed or a task failed: an idle
 * minute leaves no entry). A task that failed half-way still counts the batches it committed
 * before (SweepContext.committed): those rows are gone. The queue's singleton policy keeps
 * runs from overlapping across replicas.
 */
@Injectable()
export class RetentionSweeperService {
  constructor(
    private readonly registry: SweepRegistry,
    private readonly holds: LegalHoldsService,
    private readonly audit: AuditLogService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async sweepOnce(): Promise<SweepReport> {
    const startedAt = this.clock.now();
    const began = performance.now();
    const held = await this.holds.heldSubjects();
    const counts: Record<string, number> = {};
    const failed: string[] = [];
    for (const task of this.registry.tasks()) {
      // What the task's committed batches removed: kept when it throws later (those rows are gone).
      const reported: Record<string, number> = {};
      let taskCounts: Record<string, number>;
      try {
        taskCounts = await task.run({
          now: startedAt,
          held,
          heldNow: (manager: EntityManager) => this.holds.heldSubjectsNow(manager),
          committed: (batch) => addCounts(reported, batch),
        });
      } catch (error) {
        taskCounts = reported;
        failed.push(task.name);
        this.logger.error({ err: error, task: task.name }, 'retention sweep task failed');
      }
      addCounts(counts, taskCounts);
    }
    const durationMs = Math.round(performance.now() - began);
    const removed = Object.values(counts).reduce((a, b) => a + b, 0);
    if (removed > 0 || failed.length) {
      await this.audit.record({
        action: AuditAction.RETENTION_SWEEP,
        actor: AuditActors.system(),
        details: { counts, failed, durationMs, heldUsers: held.userIds.size, heldTeams: held.teamIds.size },
      });
      this.logger.info({ counts, failed, durationMs }, 'retention sweep');
    }
    return { startedAt, durationMs, counts, failed };
  }
}

function addCounts(into: Record<string, number>, counts: Record<string, number>): void {
  for (const [kind, n] of Object.entries(counts)) into[kind] = (into[kind] ?? 0) + n;
}
