import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * How far a sweep that lists the blob store has got (storage/orphan-blobs.sweep.ts): each run lists
 * a bounded number of keys after `after_key` and moves it on in the transaction that queues what
 * it found, so the next run goes on from there, and a run that died half-way repeats one batch.
 */
@Entity('blob_sweep_cursors')
export class BlobSweepCursorEntity {
  /** The sweep task's name. */
  @PrimaryColumn({ type: 'text' })
  task: string;

  /** The last key handled; null: the next run starts a new pass from the first key. */
  @Column({ name: 'after_key', type: 'text', nullable: true })
  afterKey: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
