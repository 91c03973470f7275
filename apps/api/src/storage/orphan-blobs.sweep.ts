import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../common/tokens';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { queryRows } from '../database/query-rows';
import type { HeldSubjects } from '../privacy/legal-holds/legal-holds.service';
import { SWEEP_BATCH_SIZE } from '../privacy/retention/sweep-batches';
import { SweepRegistry, type SweepContext, type SweepTask } from '../privacy/retention/sweep.registry';
import { BlobDeletions } from './blob-deletions';
import { QUEUE_UNREFERENCED_SQL } from './blob-references';
import { type BlobPage, BlobStore } from './blob-store';

/** Keys listed per batch (one listing, one transaction), and batches per run: a run lists at most 10,000 keys. */
export interface OrphanBlobsSweepBounds {
  batch: number;
  batchesPerRun: number;
}
export const ORPHAN_BLOBS_SWEEP_BOUNDS: OrphanBlobsSweepBounds = { batch: SWEEP_BATCH_SIZE, batchesPerRun: 10 };

/** The folders the app writes blobs under, in key order: a team's (`teams/<id>/`) and a person's (`users/<id>/`). Nothing else in the store is touched. */
const SCOPES = ['teams/', 'users/'] as const;
const OWNED_KEY = /^(teams|users)\/([^/]+)\/./;
const HOUR_MS = 3_600_000;

/** A key under a held team's or a held person's folder (`heldNow`: the person's teams erased with them included). */
function isHeld(key: string, held: HeldSubjects): boolean {
  const [, kind, id] = OWNED_KEY.exec(key) ?? [];
  return kind === 'teams' ? held.teamIds.has(id) : held.userIds.has(id);
}

/**
 * The sweep task `orphan-blobs`: finds blobs in the store that no row names — written by a process
 * that died before recording or queueing them — and deletes them (counted as `orphanBlobs`).
 *
 * It lists the store (`BlobStore.list`, under `teams/` and `users/` only) in key order from a cursor
 * kept in `blob_sweep_cursors`, a bounded number of keys per run (ORPHAN_BLOBS_SWEEP_BOUNDS), so a
 * run takes the same time however big the store is, and each run goes on where the last stopped; at
 * the end of the listing the cursor goes back to the start. Per batch, in one transaction: the
 * listed blobs written at least ORPHAN_BLOB_GRACE_HOURS before the run's time, outside the folders a
 * legal hold keeps (read under the hold lock, `heldNow`), that nothing names (QUEUE_UNREFERENCED_SQL,
 * one statement over every blob-key column, the outbox and the writes whose row comes first) are
 * queued in `pending_blob_deletions`, and the cursor moves past the batch; once that committed the
 * blobs go (BlobDeletions.deleteNow). A run that dies half-way leaves finished batches done and its
 * queued blobs for `pending-blobs`; the next run repeats at most the one batch, harmlessly.
 *
 * Never a referenced blob: every key is new to its write (a random or job/attempt id), and every
 * writer names it — in its row, or in the outbox ahead of the write — in the transaction that makes
 * it reachable. A row committed after this check can only name a blob written since the grace began
 * (a writer commits within moments of its write, and the grace is hours), which is no candidate; and
 * a reference moved between tables in one transaction is seen in one of them by the single statement.
 */
@Injectable()
export class OrphanBlobsSweep implements SweepTask, OnModuleInit {
  readonly name = 'orphan-blobs';

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly store: BlobStore,
    private readonly blobDeletions: BlobDeletions,
    private readonly registry: SweepRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async run(
    { now, heldNow, committed }: SweepContext,
    bounds: OrphanBlobsSweepBounds = ORPHAN_BLOBS_SWEEP_BOUNDS,
  ): Promise<Record<string, number>> {
    const writtenBefore = now.getTime() - this.config.ORPHAN_BLOB_GRACE_HOURS * HOUR_MS;
    let after = await this.cursor();
    let orphanBlobs = 0;
    for (let batch = 0; batch < bounds.batchesPerRun; batch++) {
      const page = await this.listAfter(after, bounds.batch);
      const old = page.blobs.filter((b) => b.lastModified.getTime() <= writtenBefore && OWNED_KEY.test(b.key)).map((b) => b.key);
      const orphans = await this.dataSource.transaction(async (manager) => {
        let queued: string[] = [];
        if (old.length) {
          const held = await heldNow(manager);
          const candidates = old.filter((key) => !isHeld(key, held));
          if (candidates.length)
            queued = (await queryRows<{ key: string }>(manager, QUEUE_UNREFERENCED_SQL, [candidates, now])).map((r) => r.key);
        }
        await manager.query(
          `INSERT INTO blob_sweep_cursors (task, after_key, updated_at) VALUES ($1, $2, $3)
           ON CONFLICT (task) DO UPDATE SET after_key = EXCLUDED.after_key, updated_at = EXCLUDED.updated_at`,
          [this.name, page.next ?? null, now],
        );
        return queued;
      });
      await this.blobDeletions.deleteNow(orphans);
      orphanBlobs += orphans.length;
      committed({ orphanBlobs: orphans.length });
      after = page.next;
      if (after === undefined) break; // the pass is complete: the next run starts another
    }
    return { orphanBlobs };
  }

  private async cursor(): Promise<string | undefined> {
    const [row] = await queryRows<{ after: string | null }>(
      this.dataSource.manager,
      'SELECT after_key AS after FROM blob_sweep_cursors WHERE task = $1',
      [this.name],
    );
    return row?.after ?? undefined;
  }

  /** The next page of SCOPES after `after`: the rest of its scope, or the start of the next one. */
  private async listAfter(after: string | undefined, limit: number): Promise<BlobPage> {
    for (const [i, scope] of SCOPES.entries()) {
      const within = after !== undefined && after.startsWith(scope);
      if (after !== undefined && !within && after > scope) continue;
      const page = await this.store.list(scope, { after: within ? after : undefined, limit });
      return { blobs: page.blobs, next: page.next ?? SCOPES[i + 1] };
    }
    return { blobs: [] };
  }
}
