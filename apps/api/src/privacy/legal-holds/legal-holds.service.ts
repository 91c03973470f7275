import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE } from '../../common/tokens';

export interface ActiveHold {
  id: string;
  reference: string;
  subjectKind: 'USER' | 'TEAM';
  subjectId: string;
}

/** What the holds pause, as the sweeper and the deletion executor read it. */
export interface HeldSubjects {
  userIds: ReadonlySet<string>;
  /** Teams held directly, plus the personal teams of held users. */
  teamIds: ReadonlySet<string>;
}

/** Reads active legal holds (placing and releasing them is LegalHoldsAdminService's). */
@Injectable()
export class LegalHoldsService {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** The active hold that pauses deleting this user (on the user, or on one of their personal teams), if any. */
  async holdOnUser(userId: string, manager: EntityManager = this.dataSource.manager): Promise<ActiveHold | null> {
    const rows: ActiveHold[] = await manager.query(
      `SELECT h.id, h.reference, h.subject_kind AS "subjectKind", h.subject_id AS "subjectId"
         FROM legal_holds h
        WHERE h.released_at IS NULL
          AND ((h.subject_kind = 'USER' AND h.subject_id = $1)
            OR (h.subject_kind = 'TEAM' AND h.subject_id IN (
                 SELECT m.team_id FROM memberships m JOIN teams t ON t.id = m.team_id
                  WHERE m.user_id = $1 AND t.is_personal)))
        ORDER BY h.placed_at LIMIT 1`,
      [userId],
    );
    return rows[0] ?? null;
  }

  /** The active hold on a team (directly, or through the user whose personal team it is), if any. */
  async holdOnTeam(teamId: string, manager: EntityManager = this.dataSource.manager): Promise<ActiveHold | null> {
    const held = await this.heldSubjects(manager);
    if (!held.teamIds.has(teamId)) return null;
    const rows: ActiveHold[] = await manager.query(
      `SELECT h.id, h.reference, h.subject_kind AS "subjectKind", h.subject_id AS "subjectId"
         FROM legal_holds h
        WHERE h.released_at IS NULL
          AND ((h.subject_kind = 'TEAM' AND h.subject_id = $1)
            OR (h.subject_kind = 'USER' AND h.subject_id IN (
                 SELECT m.user_id FROM memberships m JOIN teams t ON t.id = m.team_id
                  WHERE m.team_id = $1 AND t.is_personal)))
        ORDER BY h.placed_at LIMIT 1`,
      [teamId],
    );
    return rows[0] ?? null;
  }

  /** Every subject under an active hold (one query; the sweeper reads it once per run). */
  async heldSubjects(manager: EntityManager = this.dataSource.manager): Promise<HeldSubjects> {
    const rows: { kind: string; id: string }[] = await manager.query(
      `SELECT subject_kind AS kind, subject_id AS id FROM legal_holds WHERE released_at IS NULL
       UNION
       SELECT 'TEAM', m.team_id FROM legal_holds h
         JOIN memberships m ON m.user_id = h.subject_id
         JOIN teams t ON t.id = m.team_id AND t.is_personal
        WHERE h.released_at IS NULL AND h.subject_kind = 'USER'`,
    );
    return {
      userIds: new Set(rows.filter((r) => r.kind === 'USER').map((r) => r.id)),
      teamIds: new Set(rows.filter((r) => r.kind === 'TEAM').map((r) => r.id)),
    };
  }
}
