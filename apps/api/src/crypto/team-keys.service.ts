import { Inject, Injectable } from '@nestjs/common';
import type { KeyRing } from '@cutout/crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE, KEY_RING } from '../common/tokens';
import { TeamDataKeyEntity } from './entities/team-data-key.entity';

/** Per-team data keys: created on first use, stored wrapped, unwrapped keys cached in memory. */
@Injectable()
export class TeamKeysService {
  private readonly cache = new Map<string, Buffer>();

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(KEY_RING) private readonly keyRing: KeyRing,
  ) {}

  async dataKey(teamId: string): Promise<Buffer> {
    const cached = this.cache.get(teamId);
    if (cached) return cached;
    const repo = this.dataSource.getRepository(TeamDataKeyEntity);
    let row = await repo.findOneBy({ teamId });
    if (!row) {
      const { wrapped } = this.keyRing.generateDataKey(`team:${teamId}`);
      await this.dataSource.query('INSERT INTO team_data_keys (team_id, wrapped_key) VALUES ($1, $2) ON CONFLICT (team_id) DO NOTHING', [
        teamId,
        wrapped,
      ]);
      row = await repo.findOneByOrFail({ teamId });
    }
    const key = this.keyRing.unwrapDataKey(row.wrappedKey, `team:${teamId}`);
    this.cache.set(teamId, key);
    return key;
  }

  /**
   * Crypto-shredding: destroys the team's key (in the caller's transaction when given one: call
   * `evict` again once it commits); its blobs, and every copy of them, can never be read again.
   */
  async destroy(teamId: string, manager: EntityManager = this.dataSource.manager): Promise<number> {
    this.cache.delete(teamId);
    const { affected } = await manager.getRepository(TeamDataKeyEntity).delete({ teamId });
    return affected ?? 0;
  }

  /** Forgets the unwrapped key this process holds for the team. */
  evict(teamId: string): void {
    this.cache.delete(teamId);
  }
}
