import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { AccessEventsService } from '../access-events/access-events.service';
import { DATA_SOURCE } from '../common/tokens';
import { queryRows } from '../database/query-rows';
import { ERASED_WITH_MEMBER_SQL } from './erased-with-member.sql';
import { PersonalDataRegistry, type DataSubject, type ErasureOutcome } from '../privacy/personal-data/personal-data.registry';

/** The name a team erased with its only member keeps while financial records still point at it. */
export const TOMBSTONE_TEAM_NAME = 'Deleted account';

/**
 * Teams' part of data-subject requests. Sources: `invitations` (order 10: to the person, by the
 * blind index of their email, and sent by them: deleted) and `teams` (order 30: memberships in
 * other teams removed; the teams erased with them — their personal team and every team where they
 * are the only member — lose members and invitations and are deleted, or, when the ledger,
 * a balance or a purchase still points at them (ON DELETE RESTRICT), kept as an anonymous
 * tombstone named "Deleted account" with no members, keys, jobs or data key).
 */
@Injectable()
export class TeamsPersonalData implements OnModuleInit {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly registry: PersonalDataRegistry,
    private readonly accessEvents: AccessEventsService,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      name: 'invitations',
      eraseOrder: 10,
      exportFor: async (s) => ({ data: await this.exportInvitations(s) }),
      erase: (s, m) => this.eraseInvitations(s, m),
    });
    this.registry.register({
      name: 'teams',
      eraseOrder: 30,
      exportFor: async (s) => ({ data: await this.exportTeams(s) }),
      erase: (s, m) => this.eraseTeams(s, m),
    });
  }

  /** Teams erased with the user: their personal team(s) they own, and every team where they are the only member. */
  async teamsErasedWith(userId: string, manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      manager,
      `SELECT m.team_id AS id FROM memberships m JOIN teams t ON t.id = m.team_id
        WHERE m.user_id = $1 AND ${ERASED_WITH_MEMBER_SQL}
        ORDER BY t.created_at, t.id`,
      [userId],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Erasure's first locks (FOR UPDATE, each set in id order): every invitation the erasure deletes or
   * that leads into one of the user's teams, then the rows of every team the user is a member of.
   * Accepting an invitation locks it, then key-locks the team; placing a hold key-locks the team;
   * role changes, removals and ownership transfers lock the team: all of them wait for the erasure
   * (or it waits for them and then reads what they committed), in an order that cannot deadlock.
   */
  async lockForErasure(subject: DataSubject, manager: EntityManager): Promise<void> {
    await manager.query(
      `SELECT id FROM invitations
        WHERE team_id IN (SELECT team_id FROM memberships WHERE user_id = $1) OR invited_by_user_id = $1 OR email_index = $2
        ORDER BY id FOR UPDATE`,
      [subject.userId, subject.emailIndex],
    );
    await manager.query('SELECT id FROM teams WHERE id IN (SELECT team_id FROM memberships WHERE user_id = $1) ORDER BY id FOR UPDATE', [
      subject.userId,
    ]);
  }

  /** Teams with other members where the user is the only OWNER: they must transfer ownership before deletion. */
  async lastOwnerTeamIds(userId: string, manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      manager,
      `SELECT m.team_id AS id FROM memberships m
        WHERE m.user_id = $1 AND m.role = 'OWNER'
          AND NOT EXISTS (SELECT 1 FROM memberships o WHERE o.team_id = m.team_id AND o.user_id <> $1 AND o.role = 'OWNER')
          AND EXISTS (SELECT 1 FROM memberships o WHERE o.team_id = m.team_id AND o.user_id <> $1)
          AND m.team_id NOT IN (SELECT t.id FROM teams t WHERE t.is_personal)
        ORDER BY m.team_id`,
      [userId],
    );
    return rows.map((r) => r.id);
  }

  private async exportTeams(subject: DataSubject) {
    return queryRows<Record<string, unknown>>(
      this.dataSource.manager,
      `SELECT t.id, t.name, t.is_personal AS personal, m.role, m.created_at AS "joinedAt"
         FROM memberships m JOIN teams t ON t.id = m.team_id WHERE m.user_id = $1 ORDER BY m.created_at, t.id`,
      [subject.userId],
    );
  }

  /** Received (by their email's blind index) and sent by them; never the other person's email. */
  private async exportInvitations(subject: DataSubject) {
    const columns = `i.id, t.name AS "teamName", i.role, i.created_at AS "createdAt", i.expires_at AS "expiresAt",
                     i.accepted_at AS "acceptedAt", i.revoked_at AS "revokedAt"`;
    const received = await queryRows(
      this.dataSource.manager,
      `SELECT ${columns} FROM invitations i JOIN teams t ON t.id = i.team_id WHERE i.email_index = $1 ORDER BY i.created_at`,
      [subject.emailIndex],
    );
    const sent = await queryRows(
      this.dataSource.manager,
      `SELECT ${columns} FROM invitations i JOIN teams t ON t.id = i.team_id WHERE i.invited_by_user_id = $1 ORDER BY i.created_at`,
      [subject.userId],
    );
    return { received, sent };
  }

  private async eraseInvitations(subject: DataSubject, manager: EntityManager): Promise<ErasureOutcome> {
    const removed = await queryRows<{ id: string }>(
      manager,
      'DELETE FROM invitations WHERE email_index = $1 OR invited_by_user_id = $2 RETURNING id',
      [subject.emailIndex, subject.userId],
    );
    return { counts: { deleted: removed.length } };
  }

  private async eraseTeams(subject: DataSubject, manager: EntityManager): Promise<ErasureOutcome> {
    const erased = [...subject.personalTeamIds];
    const left = await queryRows<{ team_id: string }>(
      manager,
      'DELETE FROM memberships WHERE user_id = $1 AND NOT (team_id = ANY($2::uuid[])) RETURNING team_id',
      [subject.userId, erased],
    );
    // Their open WebSockets on every replica drop these teams once this commits.
    for (const { team_id } of left)
      await this.accessEvents.publish(manager, { kind: 'membershipChanged', teamId: team_id, userId: subject.userId });
    let deleted = 0;
    let tombstoned = 0;
    for (const teamId of erased) {
      const members = await queryRows<{ user_id: string }>(manager, 'DELETE FROM memberships WHERE team_id = $1 RETURNING user_id', [
        teamId,
      ]);
      for (const m of members) await this.accessEvents.publish(manager, { kind: 'membershipChanged', teamId, userId: m.user_id });
      await manager.query('DELETE FROM invitations WHERE team_id = $1', [teamId]);
      await manager.query('SAVEPOINT erase_team');
      try {
        await manager.query('DELETE FROM teams WHERE id = $1', [teamId]);
        await manager.query('RELEASE SAVEPOINT erase_team');
        deleted += 1;
      } catch (error) {
        // 23001 restrict / 23503 foreign key: a financial record (ledger, balance, purchase) still points at it.
        if (!['23001', '23503'].includes((error as { driverError?: { code?: string } }).driverError?.code ?? '')) throw error;
        await manager.query('ROLLBACK TO SAVEPOINT erase_team');
        await manager.query(`UPDATE teams SET name = $2, updated_at = now() WHERE id = $1`, [teamId, TOMBSTONE_TEAM_NAME]);
        tombstoned += 1;
      }
    }
    return { counts: { membershipsLeft: left.length, teamsDeleted: deleted, teamsKeptAsTombstones: tombstoned } };
  }
}
