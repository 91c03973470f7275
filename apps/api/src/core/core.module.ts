import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { KeyRing } from '@cutout/crypto';
import type { DataSource } from 'typeorm';
import type { Clock } from '../common/clock';
import type { Logger } from '../common/logger';
import { CLOCK, DATA_SOURCE, KEY_RING, LOGGER } from '../common/tokens';
import { API_CONFIG, type ApiConfig } from '../config/api.config';

export interface CoreDependencies {
  config: ApiConfig;
  logger: Logger;
  dataSource: DataSource;
  keyRing: KeyRing;
  clock: Clock;
}

/** Values created before Nest starts (config, logger, database, keys, clock), shared with every module. */
@Global()
@Module({})
export class CoreModule {
  static register(deps: CoreDependencies): DynamicModule {
    const providers = [
      { provide: API_CONFIG, useValue: deps.config },
      { provide: LOGGER, useValue: deps.logger },
      { provide: DATA_SOURCE, useValue: deps.dataSource },
      { provide: KEY_RING, useValue: deps.keyRing },
      { provide: CLOCK, useValue: deps.clock },
    ];
    return { module: CoreModule, providers, exports: providers.map((p) => p.provide) };
  }
}
