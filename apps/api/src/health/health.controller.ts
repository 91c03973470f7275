import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../common/tokens';
import { migrationsApplied } from '../database/data-source';

@Controller()
export class HealthController {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Liveness: the process answers. */
  @Get('healthz')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: the database answers and every committed migration is applied. */
  @Get('readyz')
  async ready(): Promise<{ status: 'ready'; database: 'ok'; migrations: 'applied' }> {
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      throw new ServiceUnavailableException({ status: 'not ready', database: 'unreachable' });
    }
    if (!(await migrationsApplied(this.dataSource))) {
      throw new ServiceUnavailableException({ status: 'not ready', database: 'ok', migrations: 'pending' });
    }
    return { status: 'ready', database: 'ok', migrations: 'applied' };
  }
}
