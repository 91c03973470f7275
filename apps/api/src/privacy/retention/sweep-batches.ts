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

/** The held teams or users as a uuid[] parameter. */
export const heldIds = (ids: ReadonlySet<string>): string[] => [...ids];
