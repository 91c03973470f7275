import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows } from '../database/query-rows';
import { effectiveRetentionSql, type RetentionBounds } from '../privacy/retention/retention-bounds';

/** An upload the retention sweeper may remove, and the blob it names (if any). */
export interface ExpiredUpload {
  id: string;
  blobKey: string | null;
}

/**
 * The uploads side of the retention sweep (SQL on `uploads` only; the jobs domain runs the
 * task, since jobs name an upload's blob too): originals older than their team's uploadsHours
 * (clamped into the configured bounds, as the policy reads), and upload slots whose signed URL expired unused (no PUT holding them).
 */
@Injectable()
export class UploadsRetention {
  /**
   * Locks and answers up to `limit` expired uploads with ids after `afterId` (a cursor, so
   * uploads skipped for a running job are stepped over), held teams left out.
   */
  pickExpired(
    manager: EntityManager,
    cut: RetentionBounds & { now: Date; default: number; heldTeamIds: string[] },
    afterId: string,
    limit: number,
  ): Promise<ExpiredUpload[]> {
    return queryRows<ExpiredUpload>(
      manager,
      `SELECT u.id, u.blob_key AS "blobKey" FROM uploads u LEFT JOIN team_retention_policies p ON p.team_id = u.team_id
        WHERE u.id > $4 AND NOT (u.team_id = ANY($3::uuid[]))
          AND ((u.uploaded_at IS NOT NULL
                AND u.uploaded_at <= $1::timestamptz - make_interval(hours => ${effectiveRetentionSql('p.uploads_hours', '$2', '$6', '$7')}))
            OR (u.uploaded_at IS NULL AND u.expires_at <= $1 AND (u.claimed_until IS NULL OR u.claimed_until <= $1)))
        ORDER BY u.id LIMIT $5 FOR UPDATE OF u SKIP LOCKED`,
      [cut.now, cut.default, cut.heldTeamIds, afterId, limit, cut.minimum, cut.maximum],
    );
  }

  /** Deletes the rows (jobs made from them keep their record; their upload_id becomes NULL). */
  async deleteRows(manager: EntityManager, ids: string[]): Promise<void> {
    if (ids.length) await manager.query('DELETE FROM uploads WHERE id = ANY($1::uuid[])', [ids]);
  }
}
