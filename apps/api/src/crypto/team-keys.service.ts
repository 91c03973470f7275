import { Inject, Injectable } from '@nestjs/common';
import type { KeyRing } from '@cutout/crypto';
import type { DataSource } from 'typeorm';
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

  /** Crypto-shredding: destroys the team's key; its blobs can never be read again. */
  async destroy(teamId: string): Promise<void> {
    this.cache.delete(teamId);
    await this.dataSource.getRepository(TeamDataKeyEntity).delete({ teamId });
  }
}
