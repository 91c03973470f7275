import { Inject, Injectable } from '@nestjs/common';
import type { KeyRing } from '@cutout/crypto';
import type { DataSource } from 'typeorm';
import type { Clock } from '../common/clock';
import { CLOCK, DATA_SOURCE, KEY_RING } from '../common/tokens';
import { OwnerDataKeys } from './owner-data-keys';

/** Per-team data keys: every blob of a team (uploads, results) is encrypted under its team's key. */
@Injectable()
export class TeamKeysService extends OwnerDataKeys {
  constructor(@Inject(DATA_SOURCE) dataSource: DataSource, @Inject(KEY_RING) keyRing: KeyRing, @Inject(CLOCK) clock: Clock) {
    super(dataSource, keyRing, clock, { table: 'team_data_keys', column: 'team_id', context: 'team' });
  }
}
