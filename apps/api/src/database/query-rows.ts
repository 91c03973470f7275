import type { EntityManager } from 'typeorm';

/**
 * Runs raw SQL and returns its rows. TypeORM answers UPDATE/DELETE … RETURNING with
 * [rows, count] but SELECT/INSERT with rows; this hides the difference.
 */
export async function queryRows<T>(manager: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  const raw = (await manager.query(sql, params)) as unknown;
  if (Array.isArray(raw) && raw.length === 2 && Array.isArray(raw[0]) && typeof raw[1] === 'number') return raw[0] as T[];
  return raw as T[];
}
