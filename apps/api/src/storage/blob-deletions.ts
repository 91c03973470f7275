import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE } from '../common/tokens';
import { queryRows } from '../database/query-rows';
import { EncryptedBlobsService } from './encrypted-blobs.service';

/** Blob deletions in flight at once. */
const DELETE_CONCURRENCY = 16;

/**
 * Deletes blobs whose rows are gone, without ever losing one (the `pending_blob_deletions` outbox).
 * A sweep batch runs through `removeThenDelete`: the keys are queued in the transaction that
 * deletes or clears the rows naming the blobs, and once it committed the blobs go, then their
 * outbox rows. If the process dies in between, or the store fails, the keys stay queued and `retry`
 * (a sweep task, in batches) deletes them on a later run. Deleting a blob twice is harmless: the store's delete ignores a missing key.
 */
@Injectable()
export class BlobDeletions {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly blobs: EncryptedBlobsService,
  ) {}

  /**
   * One batch of a sweep: `change` removes or clears rows in a transaction and answers what it did
   * (`result`) and the blob keys those rows named; the keys are queued in that transaction and the
   * blobs deleted once it committed. Answers `result`.
   */
  async removeThenDelete<R>(at: Date, change: (manager: EntityManager) => Promise<{ result: R; keys: (string | null)[] }>): Promise<R> {
    const { result, queued } = await this.dataSource.transaction(async (manager) => {
      const changed = await change(manager);
      return { result: changed.result, queued: await this.queue(manager, changed.keys, at) };
    });
    await this.deleteQueued(queued);
    return result;
  }

  /** Queues `keys` (nulls skipped) in the caller's transaction, stamped with the sweep run's time. */
  private async queue(manager: EntityManager, keys: readonly (string | null)[], at: Date): Promise<string[]> {
    const queued = keys.filter((key): key is string => Boolean(key));
    if (queued.length)
      await manager.query(
        `INSERT INTO pending_blob_deletions (key, queued_at) SELECT unnest($1::text[]), $2 ON CONFLICT (key) DO NOTHING`,
        [queued, at],
      );
    return queued;
  }

  /**
   * Deletes the blobs (a bounded number at a time), then the outbox rows of those that went. A
   * store error is thrown after the others were tried; its keys stay queued for `retry`.
   */
  private async deleteQueued(keys: readonly string[]): Promise<void> {
    const queue = [...keys];
    const deleted: string[] = [];
    const errors: unknown[] = [];
    const workers = Array.from({ length: Math.min(DELETE_CONCURRENCY, queue.length) }, async () => {
      for (let key = queue.pop(); key !== undefined; key = queue.pop())
        await this.blobs.delete(key).then(
          () => deleted.push(key),
          (error: unknown) => errors.push(error),
        );
    });
    await Promise.all(workers);
    if (deleted.length) await this.dataSource.query('DELETE FROM pending_blob_deletions WHERE key = ANY($1::text[])', [deleted]);
    if (errors.length) throw errors[0];
  }

  /**
   * One batch of what earlier runs queued and did not delete (queued before `now`, at most `limit`
   * keys): the blobs, then their outbox rows. Answers how many it took (a sweep repeats it, `inBatches`).
   */
  async retry(now: Date, limit: number): Promise<number> {
    const rows = await queryRows<{ key: string }>(
      this.dataSource.manager,
      'SELECT key FROM pending_blob_deletions WHERE queued_at < $1 ORDER BY queued_at, key LIMIT $2',
      [now, limit],
    );
    await this.deleteQueued(rows.map((r) => r.key));
    return rows.length;
  }
}
