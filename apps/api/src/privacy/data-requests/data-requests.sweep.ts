import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Logger } from '../../common/logger';
import { DATA_SOURCE, LOGGER } from '../../common/tokens';
import { QueueService } from '../../queue/queue.service';
import { userUnderHoldSql } from '../legal-holds/legal-holds.service';
import type { SweepContext, SweepTask } from '../retention/sweep.registry';
import { heldIds } from '../retention/sweep-batches';
import { STALE_EXECUTION_MS } from './data-request-executor.service';
import { ExportArchiveService } from './export-archive.service';

/** A message sent this long ago without the request moving is taken as lost and sent again. */
const REQUEUE_AFTER_MS = 15 * 60_000;

/** Rows one run reads at most: due requests to queue, expired export archives to delete. */
export interface DataRequestsSweepBatch {
  dueRequests: number;
  exportArchives: number;
}
export const DATA_REQUESTS_SWEEP_BATCH: DataRequestsSweepBatch = { dueRequests: 100, exportArchives: 500 };

/**
 * The data-requests sweep task (every sweeper run, with the clock's time): queues approved
 * requests that became due (a deletion's grace period ended, a legal hold was released, a
 * message was lost, a worker died), and deletes export archives EXPORT_TTL_HOURS after they
 * were made. What a legal hold keeps (a deletion waiting for it, a held person's archives) is left
 * out by the queries, so any number of held rows never hides the rest from a run. Returns
 * `{ exportArchives: n }`.
 */
@Injectable()
export class DataRequestsSweep implements SweepTask {
  readonly name = 'data-requests';

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly queue: QueueService,
    private readonly archives: ExportArchiveService,
  ) {}

  async run({ now, held }: SweepContext, batch = DATA_REQUESTS_SWEEP_BATCH): Promise<Record<string, number>> {
    await this.queueDue(now, batch.dueRequests);
    return { exportArchives: await this.expireArchives(now, held.userIds, batch.exportArchives) };
  }

  private async queueDue(now: Date, limit: number): Promise<void> {
    // A deletion still under its hold stays where it is (the worker recorded why it waits), and is
    // left out by the query itself: were it read and skipped, `limit` of them would hide every
    // request behind them for as long as the holds last.
    const due: { id: string }[] = await this.dataSource.query(
      `SELECT r.id FROM data_requests r
        WHERE ((r.status = 'APPROVED' AND r.execute_after <= $1
                AND (r.queued_at IS NULL OR r.queued_at < $2 OR r.waiting_reason IS NOT NULL))
            OR (r.status = 'EXECUTING' AND r.heartbeat_at < $3))
          AND NOT (r.waiting_reason IS NOT NULL AND r.subject_user_id IS NOT NULL AND ${userUnderHoldSql('r.subject_user_id')})
        ORDER BY r.created_at, r.id LIMIT $4`,
      [now, new Date(now.getTime() - REQUEUE_AFTER_MS), new Date(now.getTime() - STALE_EXECUTION_MS), limit],
    );
    for (const r of due) {
      await this.dataSource.transaction(async (manager) => {
        await manager.query('UPDATE data_requests SET queued_at = $2 WHERE id = $1', [r.id, now]);
        await this.queue.send(manager, 'data-request', { requestId: r.id });
      });
    }
  }

  private async expireArchives(now: Date, heldUsers: ReadonlySet<string>, limit: number): Promise<number> {
    // A held person's archives stay, left out by the query (not read and skipped: see queueDue).
    const expired: { id: string; key: string }[] = await this.dataSource.query(
      `SELECT id, export_blob_key AS key FROM data_requests
        WHERE export_blob_key IS NOT NULL AND export_expires_at <= $1
          AND (subject_user_id IS NULL OR NOT (subject_user_id = ANY($2::uuid[])))
        ORDER BY export_expires_at, id LIMIT $3`,
      [now, heldIds(heldUsers), limit],
    );
    let removed = 0;
    for (const r of expired) {
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
