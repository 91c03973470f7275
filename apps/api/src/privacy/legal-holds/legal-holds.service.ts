import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE } from '../../common/tokens';
import { ERASED_WITH_MEMBER_SQL } from '../../teams/erased-with-member.sql';

export interface ActiveHold {
  id: string;
  reference: string;
  subjectKind: 'USER' | 'TEAM';
  subjectId: string;
}

/** What the holds pause, as the sweeper and the deletion executor read it. */
export interface HeldSubjects {
  userIds: ReadonlySet<string>;
  /** Teams held directly, plus the teams a held user's deletion would erase (ERASED_WITH_MEMBER_SQL: their personal team, or theirs alone). */
  teamIds: ReadonlySet<string>;
}

const HOLD_COLUMNS = `h.id, h.reference, h.subject_kind AS "subjectKind", h.subject_id AS "subjectId"`;

/**
 * The transaction-scoped advisory lock that orders placing a hold against the deletions that read
 * the holds: placing takes it exclusively until it commits, a sweep batch shares it (heldSubjectsNow).
 */
const PLACING_LOCK = `hashtextextended('legal-holds:placing', 0)`;

/** SQL: hold `h` pauses deleting the user whose id is the SQL expression `user` (a hold on them, or on a team erased with them). */
const holdsUser = (user: string) => `(h.subject_kind = 'USER' AND h.subject_id = ${user})
        OR (h.subject_kind = 'TEAM' AND h.subject_id IN (
             SELECT m.team_id FROM memberships m JOIN teams t ON t.id = m.team_id
              WHERE m.user_id = ${user} AND ${ERASED_WITH_MEMBER_SQL}))`;

/**
 * SQL: whether the hold whose id is the SQL expression `hold` is still active and still pauses deleting
 * the user whose id is `user` (holdOnUser's rule), for a sweep that must skip held rows in its query.
 */
export const holdStillHoldsUserSql = (hold: string, user: string): string =>
  `EXISTS (SELECT 1 FROM legal_holds h WHERE h.id = ${hold} AND h.released_at IS NULL AND (${holdsUser(user)}))`;

/** Reads active legal holds (placing and releasing them is LegalHoldsAdminService's). */
@Injectable()
export class LegalHoldsService {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * The active hold that pauses deleting this user, if any: on the user, or on any team their deletion
   * would erase (their personal teams, every team where they are the only member, and `erasedTeamIds`,
   * the set the erasure itself resolved). Read it after locking those rows (SubjectDataService.erase).
   */
  async holdOnUser(
    userId: string,
    manager: EntityManager = this.dataSource.manager,
    erasedTeamIds: readonly string[] = [],
  ): Promise<ActiveHold | null> {
    return this.firstActiveHold(manager, `${holdsUser('$1')} OR (h.subject_kind = 'TEAM' AND h.subject_id = ANY($2::uuid[]))`, [
      userId,
      [...erasedTeamIds],
    ]);
  }

  /** The active hold on a team (directly, or on the user it would be erased with), if any. */
  async holdOnTeam(teamId: string, manager: EntityManager = this.dataSource.manager): Promise<ActiveHold | null> {
    return this.firstActiveHold(
      manager,
      `(h.subject_kind = 'TEAM' AND h.subject_id = $1)
        OR (h.subject_kind = 'USER' AND h.subject_id IN (
             SELECT m.user_id FROM memberships m JOIN teams t ON t.id = m.team_id
              WHERE m.team_id = $1 AND ${ERASED_WITH_MEMBER_SQL}))`,
      [teamId],
    );
  }

  /** Every subject under an active hold (one query; the sweeper reads it once per run). */
  async heldSubjects(manager: EntityManager = this.dataSource.manager): Promise<HeldSubjects> {
    const rows: { kind: string; id: string }[] = await manager.query(
      `SELECT subject_kind AS kind, subject_id AS id FROM legal_holds WHERE released_at IS NULL
       UNION
       SELECT 'TEAM', m.team_id FROM legal_holds h
         JOIN memberships m ON m.user_id = h.subject_id
         JOIN teams t ON t.id = m.team_id
        WHERE h.released_at IS NULL AND h.subject_kind = 'USER' AND ${ERASED_WITH_MEMBER_SQL}`,
    );
    return {
      userIds: new Set(rows.filter((r) => r.kind === 'USER').map((r) => r.id)),
      teamIds: new Set(rows.filter((r) => r.kind === 'TEAM').map((r) => r.id)),
    };
  }

  /**
   * heldSubjects, read in the caller's transaction under the placing lock (shared): a hold committed
   * before is read; one being placed is waited for, then read; one placed later waits until this
   * transaction (the batch that deletes by what it read) has committed. Read it in the transaction
   * that deletes, never once for many (a hold placed in between would not stop the rest).
   */
  async heldSubjectsNow(manager: EntityManager): Promise<HeldSubjects> {
    assertInTransaction(manager);
    await manager.query(`SELECT pg_advisory_xact_lock_shared(${PLACING_LOCK})`);
    return this.heldSubjects(manager);
  }

  /** Taken by placing a hold, in its transaction and before anything else: heldSubjectsNow readers wait for its commit. */
  async lockForPlacing(manager: EntityManager): Promise<void> {
    assertInTransaction(manager);
    await manager.query(`SELECT pg_advisory_xact_lock(${PLACING_LOCK})`);
  }

  /** The oldest active hold `h` that matches `subjects` (a condition on `h` with `params`), if any. */
  private async firstActiveHold(manager: EntityManager, subjects: string, params: unknown[]): Promise<ActiveHold | null> {
    const rows: ActiveHold[] = await manager.query(
      `SELECT ${HOLD_COLUMNS} FROM legal_holds h
        WHERE h.released_at IS NULL AND (${subjects})
        ORDER BY h.placed_at, h.id LIMIT 1`,
      params,
    );
    return rows[0] ?? null;
  }
}

/** A transaction-scoped lock outside a transaction would be let go at once: refuse it. */
function assertInTransaction(manager: EntityManager): void {
  if (!manager.queryRunner?.isTransactionActive) throw new Error('the legal holds lock is taken inside a transaction');
}
