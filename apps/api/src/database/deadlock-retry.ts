/** PostgreSQL's "deadlock detected": the server aborted this transaction so the other one could go on. */
const DEADLOCK_DETECTED = '40P01';

/** How many times a transaction chosen as a deadlock's victim runs in all (the first try included). */
export const DEADLOCK_ATTEMPTS = 3;

/**
 * Runs `transaction` (a whole transaction, e.g. `() => dataSource.transaction(…)`) again when PostgreSQL aborts it
 * as a deadlock's victim: nothing of the aborted try was committed, and the other transaction has gone on, so the
 * next try waits for it and then reads what it committed. For short transactions whose lock order cannot match every
 * other's (an invitation against an account erasure, which locks invitations before teams); anything else throws as is.
 */
export async function retryOnDeadlock<T>(transaction: () => Promise<T>, attempts = DEADLOCK_ATTEMPTS): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (error) {
      if (attempt >= attempts || (error as { code?: string }).code !== DEADLOCK_DETECTED) throw error;
    }
  }
}
