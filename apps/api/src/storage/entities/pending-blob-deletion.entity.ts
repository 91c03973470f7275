import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A blob whose row is gone and which is still to be deleted from the store (an outbox). A sweep
 * writes it in the transaction that deletes or clears the row naming the blob, deletes the blob
 * once that committed, then this row; a row left over (a crash or a store error in between) is
 * retried by the next sweep (BlobDeletions, blob-deletions.ts).
 */
@Entity('pending_blob_deletions')
export class PendingBlobDeletionEntity {
  @PrimaryColumn({ type: 'text' })
  key: string;

  /** The sweep run's time: a later run retries only what an earlier one queued. */
  @Index('idx_pending_blob_deletions_queued')
  @Column({ name: 'queued_at', type: 'timestamptz' })
  queuedAt: Date;
}
