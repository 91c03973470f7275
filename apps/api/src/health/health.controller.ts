import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../common/tokens';
import { migrationsApplied } from '../database/data-source';
import { InferenceGateway, type InferenceHealth } from '../jobs/worker/inference.gateway';

type Readiness = { status: 'ready'; database: 'ok'; migrations: 'applied'; inference: InferenceHealth };

@Controller()
export class HealthController {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly inference: InferenceGateway,
  ) {}

  /** Liveness: the process answers. */
  @Get('healthz')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Readiness: the database answers and every committed migration is applied. `inference`
   * reports how many inference servers serve, but never makes this 503: the API still takes
   * requests and queues jobs while inference restarts (workers hold jobs until it is back).
   */
  @Get('readyz')
  async ready(): Promise<Readiness> {
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      throw new ServiceUnavailableException({ status: 'not ready', database: 'unreachable' });
    }
    if (!(await migrationsApplied(this.dataSource))) {
      throw new ServiceUnavailableException({ status: 'not ready', database: 'ok', migrations: 'pending' });
    }
    const { healthy, total } = await this.inference.health().catch(() => ({ healthy: 0, total: 0 }));
    return { status: 'ready', database: 'ok', migrations: 'applied', inference: { healthy, total } };
  }
}
