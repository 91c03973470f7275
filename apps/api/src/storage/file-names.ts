import { Inject, Injectable } from '@nestjs/common';
import { DecryptionError, openBuffer, sealBuffer } from '@cutout/crypto';
import type { DataSource } from 'typeorm';
import type { Logger } from '../common/logger';
import { DATA_SOURCE, LOGGER } from '../common/tokens';
import { TeamKeysService } from '../crypto/team-keys.service';
import { queryRows } from '../database/query-rows';
import { inBatches, SWEEP_BATCH_SIZE } from '../privacy/retention/sweep-batches';

/**
 * A file name as a row of `uploads` or `jobs` holds it: sealed under the team's data key, or, in a
 * row written before names were sealed (until the sweep seals it: `sealLegacy`), in plaintext.
 * Exactly one of the two is set (a CHECK on both tables).
 */
export interface StoredFileName {
  sealed: Buffer | null;
  legacy: string | null;
}

/** Where a table keeps its file names: constants of the domain that owns the table, never input. */
export interface FileNameColumns {
  table: 'uploads' | 'jobs';
  /** The plaintext column of rows written before names were sealed (null once sealed). */
  legacy: 'filename' | 'input_filename';
  sealed: 'filename_sealed' | 'input_filename_sealed';
}

export const UPLOAD_FILE_NAMES: FileNameColumns = { table: 'uploads', legacy: 'filename', sealed: 'filename_sealed' };
export const JOB_FILE_NAMES: FileNameColumns = { table: 'jobs', legacy: 'input_filename', sealed: 'input_filename_sealed' };

/**
 * What a reader shows for a name that can no longer be opened (its team's key was destroyed, so
 * its rows are being erased with the team): the name an image sent without one gets.
 */
export const UNREADABLE_FILE_NAME = 'image';

/** Bound as associated data: a sealed name opens only as a file name of its own team. */
const associatedData = (teamId: string) => `file-name:${teamId}`;

const sealWith = (key: Buffer, teamId: string, name: string) => sealBuffer(key, Buffer.from(name, 'utf8'), associatedData(teamId));

/**
 * User-supplied file names ("maria-lopez-passport.jpg") are personal data: they are stored sealed
 * (AES-256-GCM, `sealBuffer`) under their team's data key, like the team's images, so destroying
 * that key (an erasure) makes every copy of them unreadable, backups included. Every reader of a
 * name goes through here: one key read per team for a whole page of names (the key is cached), and
 * a name that cannot be opened any more is null (shown as UNREADABLE_FILE_NAME), never an error.
 */
@Injectable()
export class FileNames {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly teamKeys: TeamKeysService,
  ) {}

  /** A (checked) file name sealed under its team's data key, made on first use. */
  async seal(teamId: string, name: string): Promise<Buffer> {
    return sealWith(await this.teamKeys.dataKey(teamId), teamId, name);
  }

  /** A stored name in its sealed form: as it is, or a legacy plaintext sealed now. */
  async sealed(teamId: string, stored: StoredFileName): Promise<Buffer> {
    if (stored.sealed) return stored.sealed;
    return this.seal(teamId, stored.legacy ?? UNREADABLE_FILE_NAME);
  }

  /**
   * One team's stored names in plaintext, in order, with one key read for all of them: a legacy
   * name as it is; null for a name that cannot be opened (the team's key was destroyed). Reading
   * never makes a key.
   */
  async openAll(teamId: string, stored: readonly StoredFileName[]): Promise<(string | null)[]> {
    const key = stored.some((s) => s.sealed) ? await this.teamKeys.existingDataKey(teamId) : null;
    let unreadable = 0;
    const names = stored.map((s) => {
      if (!s.sealed) return s.legacy;
      try {
        if (key) return openBuffer(key, s.sealed, associatedData(teamId)).toString('utf8');
      } catch (error) {
        if (!(error instanceof DecryptionError)) throw error;
      }
      unreadable += 1;
      return null;
    });
    if (unreadable) this.logger.warn({ teamId, unreadable, keyFound: key !== null }, 'file names that cannot be opened');
    return names;
  }

  /** Stored names of any teams in plaintext, in order (openAll once per team: one key read each). */
  async openByTeam(stored: readonly (StoredFileName & { teamId: string })[]): Promise<(string | null)[]> {
    const byTeam = new Map<string, number[]>();
    stored.forEach((s, i) => {
      const at = byTeam.get(s.teamId);
      if (at) at.push(i);
      else byTeam.set(s.teamId, [i]);
    });
    const names: (string | null)[] = new Array(stored.length).fill(null);
    for (const [teamId, at] of byTeam) {
      const opened = await this.openAll(
        teamId,
        at.map((i) => stored[i]),
      );
      at.forEach((i, k) => (names[i] = opened[k]));
    }
    return names;
  }

  /** As openAll, for a reader that must show a name: UNREADABLE_FILE_NAME for one that cannot be opened. */
  async namesToShow(teamId: string, stored: readonly StoredFileName[]): Promise<string[]> {
    return (await this.openAll(teamId, stored)).map((name) => name ?? UNREADABLE_FILE_NAME);
  }

  async nameToShow(teamId: string, stored: StoredFileName): Promise<string> {
    return (await this.namesToShow(teamId, [stored]))[0];
  }

  /**
   * One batch of the sweep that seals legacy names: up to `limit` rows of `columns.table` still
   * holding a plaintext name get it sealed and lose the plaintext. Each team's rows are sealed in a
   * transaction that first takes its team row FOR SHARE, then reads those rows again and makes the
   * team's key only if any are left (TeamKeysService.dataKeyIn, in that transaction): an erasure,
   * which takes the team FOR UPDATE, either ran before (its rows are gone: no key is made for the
   * erased team) or waits for this commit (and then destroys the key with the rows). Answers how
   * many rows it sealed.
   */
  async sealLegacy(columns: FileNameColumns, limit: number): Promise<number> {
    const { table, legacy } = columns;
    const rows = await queryRows<{ id: string; teamId: string }>(
      this.dataSource.manager,
      `SELECT id, team_id AS "teamId" FROM ${table} WHERE ${legacy} IS NOT NULL ORDER BY id LIMIT $1`,
      [limit],
    );
    const byTeam = new Map<string, string[]>();
    for (const row of rows) {
      const ids = byTeam.get(row.teamId);
      if (ids) ids.push(row.id);
      else byTeam.set(row.teamId, [row.id]);
    }
    let count = 0;
    for (const [teamId, ids] of byTeam) count += await this.sealTeamLegacy(columns, teamId, ids);
    // Fewer than read (rows gone meanwhile) ends this run's batches (inBatches); the next run goes on.
    return count;
  }

  /** sealLegacy for the rows `ids` of one team, in one transaction under its team row's FOR SHARE lock: how many it sealed. */
  private sealTeamLegacy({ table, legacy, sealed }: FileNameColumns, teamId: string, ids: string[]): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const [team] = await queryRows(manager, 'SELECT id FROM teams WHERE id = $1 FOR SHARE', [teamId]);
      if (!team) return 0;
      const left = await queryRows<{ id: string; name: string }>(
        manager,
        `SELECT id, ${legacy} AS name FROM ${table} WHERE id = ANY($1::uuid[]) AND team_id = $2 AND ${legacy} IS NOT NULL FOR UPDATE`,
        [ids, teamId],
      );
      if (!left.length) return 0;
      const key = await this.teamKeys.dataKeyIn(manager, teamId);
      const seals = left.map((row) => sealWith(key, teamId, row.name));
      await manager.query(
        `UPDATE ${table} t SET ${sealed} = v.sealed, ${legacy} = NULL
           FROM unnest($1::uuid[], $2::bytea[]) AS v(id, sealed) WHERE t.id = v.id`,
        [left.map((row) => row.id), seals],
      );
      return left.length;
    });
  }

  /** Every legacy name of the table sealed, batch after batch (sealLegacy) until one comes back short: how many. */
  sealAllLegacy(columns: FileNameColumns, batch = SWEEP_BATCH_SIZE): Promise<number> {
    return inBatches((limit) => this.sealLegacy(columns, limit), batch);
  }
}
