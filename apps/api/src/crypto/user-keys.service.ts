import { Inject, Injectable } from '@nestjs/common';
import type { KeyRing } from '@cutout/crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE, KEY_RING } from '../common/tokens';
import { UserDataKeyEntity } from './entities/user-data-key.entity';

/** Per-user data keys (like TeamKeysService's per-team ones): created on first use, stored wrapped, cached unwrapped. */
@Injectable()
export class UserKeysService {
  private readonly cache = new Map<string, Buffer>();

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(KEY_RING) private readonly keyRing: KeyRing,
  ) {}

  async dataKey(userId: string): Promise<Buffer> {
    const cached = this.cache.get(userId);
    if (cached) return cached;
    const repo = this.dataSource.getRepository(UserDataKeyEntity);
    let row = await repo.findOneBy({ userId });
    if (!row) {
      const { wrapped } = this.keyRing.generateDataKey(`user:${userId}`);
      await this.dataSource.query('INSERT INTO user_data_keys (user_id, wrapped_key) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING', [
        userId,
        wrapped,
      ]);
      row = await repo.findOneByOrFail({ userId });
    }
    const key = this.keyRing.unwrapDataKey(row.wrappedKey, `user:${userId}`);
    this.cache.set(userId, key);
    return key;
  }

  /** Crypto-shredding: destroys the user's key (inside the caller's transaction when given one). */
  async destroy(userId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    this.cache.delete(userId);
    await manager.getRepository(UserDataKeyEntity).delete({ userId });
  }
}
