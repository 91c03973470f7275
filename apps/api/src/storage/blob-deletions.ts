import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE } from '../common/tokens';
import { queryRows } from '../database/query-rows';
import { EncryptedBlobsService } from './encrypted-blobs.service';

/** Blob deletions in flight at once. */
const DELETE_CONCURRENCY = 16;

/**
 * Deletes blobs whose rows are gone, without ever losing one (the `pending_blob_deletions` outbox).
 * The keys are queued in the transaction that deletes or clears the rows naming the blobs, and once
 * it committed the blobs go, then their outbox rows: a sweep batch runs through `removeThenDelete`,
 * an erasure queues whole folders (a key ending in "/": every blob under it) with
 * `queueUntilCommitted`. If the process dies in between, or the store fails, the keys stay queued and
 * `retry` (a sweep task, in batches) deletes them on a later run. Deleting a blob or a folder twice is
 * harmless: the store ignores a missing key.
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
   * blobs deleted once it committed. Answers `result`. `committed` hears `result` as soon as the
   * transaction committed, before the blob deletes (which may throw): the rows are gone either way.
   */
  async removeThenDelete<R>(
    at: Date,
    change: (manager: EntityManager) => Promise<{ result: R; keys: (string | null)[] }>,
    committed?: (result: R) => void,
  ): Promise<R> {
    const { result, deleteBlobs } = await this.dataSource.transaction(async (manager) => {
      const changed = await change(manager);
      return { result: changed.result, deleteBlobs: await this.queueUntilCommitted(manager, changed.keys, at) };
    });
    committed?.(result);
    await deleteBlobs();
    return result;
  }

  /**
   * Queues `keys` (nulls skipped; a key ending in "/" is a folder, EncryptedBlobsService.teamFolder)
   * in the caller's transaction, stamped `at` (a sweep retries what was queued before it began).
   * Answers the deletion to run once that transaction committed: the blobs, then their outbox rows;
   * it throws a store error after trying the others, whose keys stay queued for `retry`.
   */
  async queueUntilCommitted(manager: EntityManager, keys: readonly (string | null)[], at: Date): Promise<() => Promise<void>> {
    const queued = keys.filter((key): key is string => Boolean(key));
    if (queued.length)
      await manager.query(
        `INSERT INTO pending_blob_deletions (key, queued_at) SELECT unnest($1::text[]), $2 ON CONFLICT (key) DO NOTHING`,
        [queued, at],
      );
    return () => this.deleteNow(queued);
  }

  /**
   * Queues `key` before it is written, for a writer whose row names the blob only later (a worker's
   * result): `unqueue`, in the transaction that names it, takes it back. Should the writer never get
   * there (that commit fails, the process dies, the result is stale and its delete fails), a sweep
   * deletes the blob, but not before `notBefore`: the writer may still be between its write and
   * its commit until then.
   */
  async queueAhead(key: string, notBefore: Date): Promise<void> {
    await this.dataSource.query(
      'INSERT INTO pending_blob_deletions (key, queued_at) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET queued_at = EXCLUDED.queued_at',
      [key, notBefore],
    );
  }

  /**
   * Takes `keys` (queued by `queueAhead`) back in the caller's transaction, as its rows now name
   * the blobs. Answers how many were still queued: fewer means a sweep has taken them to delete.
   */
  async unqueue(manager: EntityManager, keys: readonly string[]): Promise<number> {
    return (await queryRows(manager, 'DELETE FROM pending_blob_deletions WHERE key = ANY($1::text[]) RETURNING key', [keys])).length;
  }

  /**
   * Deletes the blobs (a bounded number at a time), then the outbox rows of those that went. A
   * store error is thrown after the others were tried; its keys stay queued for `retry`.
   */
  async deleteNow(keys: readonly string[]): Promise<void> {
    const queue = [...keys];
    const deleted: string[] = [];
    const errors: unknown[] = [];
    const workers = Array.from({ length: Math.min(DELETE_CONCURRENCY, queue.length) }, async () => {
      for (let key = queue.pop(); key !== undefined; key = queue.pop())
        await (key.endsWith('/') ? this.blobs.deleteFolder(key) : this.blobs.delete(key)).then(
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
    await this.deleteNow(rows.map((r) => r.key));
    return rows.length;
  }
}
