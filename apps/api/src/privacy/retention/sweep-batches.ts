import type { SweepContext } from './sweep.registry';

/** Rows one sweep statement handles at most: a sweep of 10,000 expired jobs never holds them all at once. */
export const SWEEP_BATCH_SIZE = 1000;

/**
 * Runs `step` (one batch: its own statement or transaction, answering how many rows it
 * handled) until a batch comes back short. Each batch commits on its own, so a crash half-way
 * leaves finished batches done and the next run picks up the rest (tasks are idempotent).
 */
export async function inBatches(step: (limit: number) => Promise<number>, limit = SWEEP_BATCH_SIZE): Promise<number> {
  let total = 0;
  for (;;) {
    const handled = await step(limit);
    total += handled;
    if (handled < limit) return total;
  }
}

/**
 * `inBatches` whose every committed batch is reported to the run as `kind` (SweepContext.committed),
 * so a later batch that throws does not lose the earlier ones' count; answers `{ [kind]: total }`.
 */
export async function countedBatches(
  { committed }: Pick<SweepContext, 'committed'>,
  kind: string,
  step: (limit: number) => Promise<number>,
  limit = SWEEP_BATCH_SIZE,
): Promise<Record<string, number>> {
  const total = await inBatches(async (batchLimit) => {
    const handled = await step(batchLimit);
    committed({ [kind]: handled });
    return handled;
  }, limit);
  return { [kind]: total };
}

/** The held teams or users as a uuid[] parameter. */
export const heldIds = (ids: ReadonlySet<string>): string[] => [...ids];
