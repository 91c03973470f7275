import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A blob (or, with a key ending in "/", a folder of blobs) whose row is gone and which is still to be
 * deleted from the store (an outbox). A sweep batch, an erasure or a failed upload writes it in the
 * transaction that deletes or clears the row naming the blob, deletes the blob once that committed,
 * then this row; a row left over (a crash or a store error in between) is retried by the next sweep
 * (BlobDeletions, blob-deletions.ts).
 */
@Entity('pending_blob_deletions')
export class PendingBlobDeletionEntity {
  @PrimaryColumn({ type: 'text' })
  key: string;

  /** When it was queued (a sweep run's time, or the clock's): a sweep retries only what was queued before it began. */
  @Index('idx_pending_blob_deletions_queued')
  @Column({ name: 'queued_at', type: 'timestamptz' })
  queuedAt: Date;
}
