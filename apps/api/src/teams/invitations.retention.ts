import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../common/tokens';
import { queryRows } from '../database/query-rows';
import { SweepRegistry, type SweepContext } from '../privacy/retention/sweep.registry';
import { countedBatches, heldIds } from '../privacy/retention/sweep-batches';

/**
 * Sweep task `invitations`: an invitation is deleted (with the encrypted address it holds) once it
 * is accepted, revoked or expired, as the privacy policy promises ("invitations expire after 7 days
 * and are then deleted"): no grace after that, since an address kept longer is kept without a
 * purpose. Held teams keep theirs,
 * and a held person keeps those their export shows: the ones they sent (`invited_by_user_id`) and
 * the ones sent to their address (`email_index`, their account's blind index).
 */
@Injectable()
export class InvitationsRetention implements OnModuleInit {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly registry: SweepRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register({ name: 'invitations', run: (c) => this.sweep(c) });
  }

  async sweep(context: SweepContext): Promise<Record<string, number>> {
    const { now, heldNow } = context;
    return countedBatches(context, 'invitations', (limit) =>
      this.dataSource.transaction(async (manager) => {
        const held = await heldNow(manager);
        const rows = await queryRows(
          manager,
          `DELETE FROM invitations WHERE id IN (
             SELECT id FROM invitations
              WHERE LEAST(accepted_at, revoked_at, expires_at) <= $1::timestamptz
                AND NOT (team_id = ANY($2::uuid[]))
                AND NOT EXISTS (SELECT 1 FROM users u
                                 WHERE u.id = ANY($3::uuid[])
                                   AND (u.id = invitations.invited_by_user_id OR u.email_index = invitations.email_index))
              LIMIT $4 FOR UPDATE SKIP LOCKED)
           RETURNING id`,
          [now, heldIds(held.teamIds), heldIds(held.userIds), limit],
        );
        return rows.length;
      }),
    );
  }
}
