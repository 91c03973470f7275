import { Inject, Injectable } from '@nestjs/common';
import type { KeyRing } from '@cutout/crypto';
import type { DataSource } from 'typeorm';
import type { Clock } from '../common/clock';
import { CLOCK, DATA_SOURCE, KEY_RING } from '../common/tokens';
import { OwnerDataKeys } from './owner-data-keys';

/** Per-user data keys: a person's data-export archives are encrypted under their key. */
@Injectable()
export class UserKeysService extends OwnerDataKeys {
  constructor(@Inject(DATA_SOURCE) dataSource: DataSource, @Inject(KEY_RING) keyRing: KeyRing, @Inject(CLOCK) clock: Clock) {
    super(dataSource, keyRing, clock, { table: 'user_data_keys', column: 'user_id', context: 'user' });
  }
}
