import { Injectable } from '@nestjs/common';
import type { HeldSubjects } from '../legal-holds/legal-holds.service';

/** What every sweep task is given: the clock's time for this run and what legal holds pause. */
export interface SweepContext {
  now: Date;
  held: HeldSubjects;
}

/**
 * One kind of expiring data, swept by its own domain (uploads, results, job records,
 * sessions, mail tokens, invitations, rate-limit buckets, dev mails, exports …).
 * `run` removes what expired and answers counts by kind (e.g. `{ results: 3 }`);
 * it must be safe to run again after a crash half-way (idempotent).
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
