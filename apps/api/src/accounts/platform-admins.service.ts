import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { forbidden, unauthenticated } from '../common/errors/app-error';
import type { Principal } from '../common/request-context/principal';
import { DATA_SOURCE } from '../common/tokens';

export const notPlatformAdmin = () => forbidden('Only platform administrators may do this.');

/**
 * Who may run the platform: signed-in users flagged `is_platform_admin` (see the `make-admin`
 * CLI). API keys never are. Read on every call, so a flag taken away ends at once.
 */
@Injectable()
export class PlatformAdmins {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** The admin's user id; UNAUTHENTICATED without a caller, FORBIDDEN for anyone else. */
  async assertPlatformAdmin(principal: Principal | null): Promise<string> {
    if (!principal) throw unauthenticated();
    if (principal.kind !== 'user') throw notPlatformAdmin();
    const rows: { is_platform_admin: boolean }[] = await this.dataSource.query('SELECT is_platform_admin FROM users WHERE id = $1', [
      principal.userId,
    ]);
    if (!rows[0]?.is_platform_admin) throw notPlatformAdmin();
    return principal.userId;
  }
}
