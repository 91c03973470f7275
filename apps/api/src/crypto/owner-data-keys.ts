import type { KeyRing } from '@cutout/crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../common/clock';

/** How long a process keeps an unwrapped data key before reading its row again. */
export const DATA_KEY_CACHE_MS = 60_000;

interface KeyTable {
  /** Table and owner column (constants of the subclass, never input). */
  table: 'team_data_keys' | 'user_data_keys';
  column: 'team_id' | 'user_id';
  /** Bound into the key wrapping, so a key row copied to another owner does not unwrap. */
  context: 'team' | 'user';
}

/**
 * Data keys of one kind of owner (teams, users): created on first use, stored wrapped by the
 * master key, unwrapped keys cached in memory for at most DATA_KEY_CACHE_MS. Destroying the
 * row crypto-shreds everything encrypted under the key; the process that destroys it forgets it
 * at once, any other process within DATA_KEY_CACHE_MS (it reads the row again, finds none).
 */
export abstract class OwnerDataKeys {
  private readonly cache = new Map<string, { key: Buffer; until: number }>();

  protected constructor(
    private readonly dataSource: DataSource,
    private readonly keyRing: KeyRing,
    private readonly clock: Clock,
    private readonly spec: KeyTable,
  ) {}

  /** The owner's data key, made on first use (and cached, as existingDataKey's). */
  async dataKey(ownerId: string): Promise<Buffer> {
    return (await this.existingDataKey(ownerId)) ?? this.remember(ownerId, await this.dataKeyIn(this.dataSource.manager, ownerId));
  }

  /**
   * The owner's data key read, or made, in the caller's transaction (`manager`), so the caller's locks
   * order it against an erasure that destroys the key (see FileNames.sealLegacy). Not cached: the
   * transaction may still roll back its new row.
   */
  async dataKeyIn(manager: EntityManager, ownerId: string): Promise<Buffer> {
    let wrapped = await this.wrappedKey(manager, ownerId);
    if (!wrapped) {
      await this.makeKey(manager, ownerId);
      // Another transaction may have made it first (this one waited for its commit): its key is the one.
      wrapped = await this.wrappedKey(manager, ownerId);
    }
    if (!wrapped) throw new Error(`no data key row for ${this.spec.context} ${ownerId}`);
    return this.unwrap(ownerId, wrapped);
  }

  /**
   * The owner's data key, or null when it has none: for reading what was sealed under it. It never
   * makes one, so what a destroyed key sealed stays unreadable and no key is made for a reader.
   */
  async existingDataKey(ownerId: string): Promise<Buffer | null> {
    const cached = this.cache.get(ownerId);
    if (cached && cached.until > this.clock.now().getTime()) return cached.key;
    const wrapped = await this.wrappedKey(this.dataSource.manager, ownerId);
    return wrapped ? this.remember(ownerId, this.unwrap(ownerId, wrapped)) : null;
  }

  /** Caches an unwrapped key committed to its row for DATA_KEY_CACHE_MS. */
  private remember(ownerId: string, key: Buffer): Buffer {
    this.cache.set(ownerId, { key, until: this.clock.now().getTime() + DATA_KEY_CACHE_MS });
    return key;
  }

  /** The owner's key row's wrapped key, if it has one. */
  private async wrappedKey(manager: EntityManager, ownerId: string): Promise<string | undefined> {
    const { table, column } = this.spec;
    const rows = (await manager.query(`SELECT wrapped_key FROM ${table} WHERE ${column} = $1`, [ownerId])) as { wrapped_key: string }[];
    return rows[0]?.wrapped_key;
  }

  /** Inserts a new key row for the owner unless one exists (another process's stays). */
  private async makeKey(manager: EntityManager, ownerId: string): Promise<void> {
    const { table, column, context } = this.spec;
    const { wrapped } = this.keyRing.generateDataKey(`${context}:${ownerId}`);
    await manager.query(`INSERT INTO ${table} (${column}, wrapped_key) VALUES ($1, $2) ON CONFLICT (${column}) DO NOTHING`, [
      ownerId,
      wrapped,
    ]);
  }

  private unwrap(ownerId: string, wrapped: string): Buffer {
    return this.keyRing.unwrapDataKey(wrapped, `${this.spec.context}:${ownerId}`);
  }

  /**
   * Crypto-shredding: deletes the owner's key row (in the caller's transaction when given one:
   * call `evict` again once it commits). Answers how many rows went (0 or 1).
   */
  async destroy(ownerId: string, manager: EntityManager = this.dataSource.manager): Promise<number> {
    this.cache.delete(ownerId);
    const { table, column } = this.spec;
    const [, affected] = (await manager.query(`DELETE FROM ${table} WHERE ${column} = $1`, [ownerId])) as [unknown, number];
    return affected ?? 0;
  }

  /** Forgets the unwrapped key this process holds for the owner. */
  evict(ownerId: string): void {
    this.cache.delete(ownerId);
  }
}
