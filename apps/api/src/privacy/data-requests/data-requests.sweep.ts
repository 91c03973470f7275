import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Logger } from '../../common/logger';
import { DATA_SOURCE, LOGGER } from '../../common/tokens';
import { QueueService } from '../../queue/queue.service';
import { LegalHoldsService } from '../legal-holds/legal-holds.service';
import type { SweepContext, SweepTask } from '../retention/sweep.registry';
import { STALE_EXECUTION_MS } from './data-request-executor.service';
import { ExportArchiveService } from './export-archive.service';

/** A message sent this long ago without the request moving is taken as lost and sent again. */
const REQUEUE_AFTER_MS = 15 * 60_000;

/**
 * The data-requests sweep task (every sweeper run, with the clock's time): queues approved
 * requests that became due (a deletion's grace period ended, a legal hold was released, a
 * message was lost, a worker died), and deletes export archives EXPORT_TTL_HOURS after they
 * were made. Returns `{ exportArchives: n }`.
 */
@Injectable()
export class DataRequestsSweep implements SweepTask {
  readonly name = 'data-requests';

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly queue: QueueService,
    private readonly holds: LegalHoldsService,
    private readonly archives: ExportArchiveService,
  ) {}

  async run({ now, held }: SweepContext): Promise<Record<string, number>> {
    await this.queueDue(now);
    return { exportArchives: await this.expireArchives(now, held.userIds) };
  }

  private async queueDue(now: Date): Promise<void> {
    const due: { id: string; kind: string; subject: string | null; waiting: string | null }[] = await this.dataSource.query(
      `SELECT id, kind, subject_user_id AS subject, waiting_reason AS waiting FROM data_requests
        WHERE (status = 'APPROVED' AND execute_after <= $1
               AND (queued_at IS NULL OR queued_at < $2 OR waiting_reason IS NOT NULL))
           OR (status = 'EXECUTING' AND heartbeat_at < $3)
        ORDER BY created_at LIMIT 100`,
      [now, new Date(now.getTime() - REQUEUE_AFTER_MS), new Date(now.getTime() - STALE_EXECUTION_MS)],
    );
    for (const r of due) {
      // A deletion still under its hold stays where it is (the worker recorded why it waits).
      if (r.waiting && r.subject && (await this.holds.holdOnUser(r.subject))) continue;
      await this.dataSource.transaction(async (manager) => {
        await manager.query('UPDATE data_requests SET queued_at = $2 WHERE id = $1', [r.id, now]);
        await this.queue.send(manager, 'data-request', { requestId: r.id });
      });
    }
  }

  private async expireArchives(now: Date, heldUsers: ReadonlySet<string>): Promise<number> {
    const expired: { id: string; key: string; subject: string | null }[] = await this.dataSource.query(
      `SELECT id, export_blob_key AS key, subject_user_id AS subject FROM data_requests
        WHERE export_blob_key IS NOT NULL AND export_expires_at <= $1 ORDER BY export_expires_at LIMIT 500`,
      [now],
    );
    let removed = 0;
    for (const r of expired) {
      if (r.subject && heldUsers.has(r.subject)) continue;
      try {
        await this.archives.delete(r.key);
      } catch (error) {
        this.logger.error({ err: error, requestId: r.id }, 'could not delete an expired export archive');
        continue;
      }
      await this.dataSource.query('UPDATE data_requests SET export_blob_key = NULL WHERE id = $1 AND export_blob_key = $2', [r.id, r.key]);
      removed += 1;
    }
    return removed;
  }
}
