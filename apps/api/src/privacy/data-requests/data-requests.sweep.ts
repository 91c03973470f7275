import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../../common/tokens';
import { queryRows } from '../../database/query-rows';
import { QueueService } from '../../queue/queue.service';
import { BlobDeletions } from '../../storage/blob-deletions';
import { holdStillHoldsUserSql } from '../legal-holds/legal-holds.service';
import type { SweepContext, SweepTask } from '../retention/sweep.registry';
import { heldIds, inBatches } from '../retention/sweep-batches';
import { STALE_EXECUTION_MS } from './data-request-executor.service';

/** A message sent this long ago without the request moving is taken as lost and sent again. */
const REQUEUE_AFTER_MS = 15 * 60_000;

/** Rows read at a time: due requests to queue (one batch per run), expired export archives to delete (batches until none is left). */
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
    private readonly queue: QueueService,
    private readonly blobDeletions: BlobDeletions,
  ) {}

  async run({ now, heldNow, committed }: SweepContext, batch = DATA_REQUESTS_SWEEP_BATCH): Promise<Record<string, number>> {
    await this.queueDue(now, batch.dueRequests);
    return { exportArchives: await this.expireArchives(now, heldNow, committed, batch.exportArchives) };
  }

  private async queueDue(now: Date, limit: number): Promise<void> {
    // A deletion still under the hold the worker recorded stays where it is, and is left out by the
    // query itself: were it read and skipped, `limit` of them would hide every request behind them for
    // as long as the holds last. One whose recorded hold ended goes to the worker, which runs it or
    // records the hold it waits for now (another may have been placed before this run).
    const due: { id: string }[] = await this.dataSource.query(
      `SELECT r.id FROM data_requests r
        WHERE ((r.status = 'APPROVED' AND r.execute_after <= $1
                AND (r.queued_at IS NULL OR r.queued_at < $2 OR r.waiting_reason IS NOT NULL))
            OR (r.status = 'EXECUTING' AND r.heartbeat_at < $3))
          AND NOT (r.waiting_reason IS NOT NULL AND r.subject_user_id IS NOT NULL
                   AND ${holdStillHoldsUserSql('r.waiting_hold_id', 'r.subject_user_id')})
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

  /**
   * Expired archives in batches, each one transaction: the holds read in it (heldNow), the rows let
   * go of their archive, the keys queued (BlobDeletions), then the blobs deleted once it committed;
   * a store error leaves them queued for the next run's `pending-blobs`.
   */
  private async expireArchives(
    now: Date,
    heldNow: SweepContext['heldNow'],
    committed: SweepContext['committed'],
    limit: number,
  ): Promise<number> {
    return inBatches(
      (batch) =>
        this.blobDeletions.removeThenDelete(
          now,
          async (manager) => {
            // A held person's archives stay, left out by the query (not read and skipped: see queueDue).
            const held = await heldNow(manager);
            const expired = await queryRows<{ key: string }>(
              manager,
              `WITH expired AS (
               SELECT id, export_blob_key AS key FROM data_requests
                WHERE export_blob_key IS NOT NULL AND export_expires_at <= $1
                  AND (subject_user_id IS NULL OR NOT (subject_user_id = ANY($2::uuid[])))
                ORDER BY export_expires_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
             UPDATE data_requests r SET export_blob_key = NULL FROM expired WHERE r.id = expired.id RETURNING expired.key`,
              [now, heldIds(held.userIds), batch],
            );
            return { result: expired.length, keys: expired.map((r) => r.key) };
          },
          (n) => committed({ exportArchives: n }),
        ),
      limit,
    );
  }
}
