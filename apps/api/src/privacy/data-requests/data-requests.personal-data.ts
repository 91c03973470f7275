import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock';
import { CLOCK, DATA_SOURCE } from '../../common/tokens';
import { UserKeysService } from '../../crypto/user-keys.service';
import { queryRows } from '../../database/query-rows';
import { BlobDeletions } from '../../storage/blob-deletions';
import { EncryptedBlobsService } from '../../storage/encrypted-blobs.service';
import type { DataSubject, ErasureOutcome, ExportSection, PersonalDataSource } from '../personal-data/personal-data.registry';

/**
 * The data-requests domain's personal data: a person's own requests (exported without other
 * people's ids), and, on erasure, their requests and export archives, their user data key, and
 * their links as an admin who handled others' requests. The deletion being executed keeps its
 * row with dates and counts only: it is left unlocked here (the executor clears its email index
 * and note when it completes, also when it takes over after a crash); its links to the person
 * are cleared by the account's foreign keys (ON DELETE SET NULL) in the account's step (order
 * 90, the last), so progress written during the erasure waits only for that last step.
 */
@Injectable()
export class DataRequestsPersonalData implements PersonalDataSource {
  readonly name = 'data-requests';
  readonly eraseOrder = 10;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly userKeys: UserKeysService,
    private readonly blobDeletions: BlobDeletions,
  ) {}

  async exportFor(subject: DataSubject): Promise<ExportSection> {
    const data = await this.dataSource.query(
      `SELECT id, kind, status, origin, (requested_by_user_id = subject_user_id) AS "requestedByYou", created_at AS "createdAt",
              due_at AS "dueAt", approved_at AS "approvedAt", rejected_at AS "rejectedAt", rejection_reason AS "rejectionReason",
              execute_after AS "executeAfter", completed_at AS "completedAt", canceled_at AS "canceledAt",
              export_expires_at AS "exportExpiresAt", receipt
         FROM data_requests WHERE subject_user_id = $1 ORDER BY created_at, id`,
      [subject.userId],
    );
    return { data };
  }

  async erase(subject: DataSubject, manager: EntityManager): Promise<ErasureOutcome> {
    const removed = await queryRows<{ key: string | null }>(
      manager,
      `DELETE FROM data_requests WHERE subject_user_id = $1 AND status <> 'EXECUTING' RETURNING export_blob_key AS key`,
      [subject.userId],
    );
    // The deletion being executed is not touched (not even locked): its worker writes progress and
    // heartbeat to that row while this transaction is open, and clears its email index and note
    // when it completes. An export running at the same time loses them here.
    const executing = await queryRows<{ key: string | null }>(
      manager,
      `UPDATE data_requests SET subject_email_index = NULL, note = NULL
        WHERE subject_user_id = $1 AND status = 'EXECUTING' AND kind <> 'DELETION' RETURNING export_blob_key AS key`,
      [subject.userId],
    );
    const links = await queryRows<{ id: string }>(
      manager,
      `UPDATE data_requests SET
          requested_by_user_id = NULLIF(requested_by_user_id, $1),
          approved_by_user_id = NULLIF(approved_by_user_id, $1),
          rejected_by_user_id = NULLIF(rejected_by_user_id, $1)
        WHERE $1 IN (requested_by_user_id, approved_by_user_id, rejected_by_user_id)
          AND NOT (subject_user_id = $1 AND status = 'EXECUTING' AND kind = 'DELETION') RETURNING id`,
      [subject.userId],
    );
    const keys = await queryRows<{ user_id: string }>(manager, 'DELETE FROM user_data_keys WHERE user_id = $1 RETURNING user_id', [
      subject.userId,
    ]);
    await this.userKeys.destroy(subject.userId, manager);
    const blobKeys = [...removed, ...executing].map((r) => r.key).filter((k): k is string => !!k);
    // Every archive of the person, as a folder queued with this transaction (a store failure after it leaves it queued for the sweep).
    const deleteArchives = await this.blobDeletions.queueUntilCommitted(
      manager,
      [EncryptedBlobsService.userFolder(subject.userId)],
      this.clock.now(),
    );
    return {
      counts: { requests: removed.length, linksCleared: links.length, userDataKeys: keys.length, exportArchives: blobKeys.length },
      afterCommit: deleteArchives,
    };
  }
}
