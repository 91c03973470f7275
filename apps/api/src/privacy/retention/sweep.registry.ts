import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { HeldSubjects } from '../legal-holds/legal-holds.service';

/** What every sweep task is given: the clock's time for this run and what legal holds pause. */
export interface SweepContext {
  now: Date;
  /** What the holds paused when the run began: a pre-filter only (a hold placed since is not in it). */
  held: HeldSubjects;
  /**
   * What the holds pause now, read in `manager`'s transaction, ordered against placing a hold
   * (LegalHoldsService.heldSubjectsNow): every batch that deletes reads it in its own transaction.
   */
  heldNow(manager: EntityManager): Promise<HeldSubjects>;
  /**
   * Reports what one batch removed, once its transaction committed (`{ uploads: 3 }`). A task that
   * throws half-way still has its committed batches in the run's audit entry; one that returns has
   * its returned counts taken instead (they include every batch), so a task that never reports loses
   * only the counts of a failed run.
   */
  committed(counts: Record<string, number>): void;
}

/**
 * One kind of expiring data, swept by its own domain (uploads, results, job records,
 * sessions, mail tokens, invitations, rate-limit buckets, dev mails, exports …).
 * `run` removes what expired and answers counts by kind (e.g. `{ results: 3 }`), reporting each
 * committed batch on the way (`committed`, or `countedBatches`);
 * it must be safe to run again after a crash half-way (idempotent). What a legal hold keeps is
 * left out by `heldNow`, read in the transaction that deletes (not by `held`, read at the start).
 */
export interface SweepTask {
  name: string;
  run(context: SweepContext): Promise<Record<string, number>>;
}

/** Every domain's SweepTask, registered at module init; the retention sweeper runs them all. */
@Injectable()
export class SweepRegistry {
  private readonly byName = new Map<string, SweepTask>();

  register(task: SweepTask): void {
    if (this.byName.has(task.name)) throw new Error(`sweep task "${task.name}" is registered twice`);
    this.byName.set(task.name, task);
  }

  tasks(): SweepTask[] {
    return [...this.byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
}
