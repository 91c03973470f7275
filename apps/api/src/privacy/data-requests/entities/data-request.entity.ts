import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../../../accounts/entities/user.entity';
import type { DataRequestKind, DataRequestOrigin, DataRequestStatus } from '../data-request-states';

/** What a completed request did, without personal data: counts by kind. */
export interface DataRequestReceipt {
  counts: Record<string, number>;
  startedAt: string;
  completedAt: string;
}

/**
 * A data-subject request (an export of, or the deletion of, everything held about a person)
 * and its lifecycle. Status changes are guarded in SQL (`UPDATE … WHERE status = …`), each one
 * audited. The subject's email is kept only as its blind index, cleared when a deletion
 * completes; the deletion's own row then keeps its dates and counts only.
 */
@Entity('data_requests')
@Index('idx_data_requests_status', ['status', 'createdAt'])
@Index('idx_data_requests_subject', ['subjectUserId'])
// One open request of each kind per person (a second one is a CONFLICT, even racing).
@Index('uq_data_requests_open', ['subjectUserId', 'kind'], { unique: true, where: `status IN ('PENDING', 'APPROVED', 'EXECUTING')` })
export class DataRequestEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  kind: DataRequestKind;

  @Column({ type: 'text' })
  status: DataRequestStatus;

  @Column({ type: 'text' })
  origin: DataRequestOrigin;

  @Column({ name: 'subject_user_id', type: 'uuid', nullable: true })
  subjectUserId: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'subject_user_id' })
  subjectUser?: UserEntity;

  /** Blind index of the subject's email (never the email itself); cleared when a deletion completes. */
  @Column({ name: 'subject_email_index', type: 'text', nullable: true })
  subjectEmailIndex: string | null;

  @Column({ name: 'requested_by_user_id', type: 'uuid', nullable: true })
  requestedByUserId: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'requested_by_user_id' })
  requestedBy?: UserEntity;

  /** The admin's note (how the person asked); cleared with the subject's deletion. */
  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** Statutory deadline: created + 30 days. */
  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt: Date;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  @Column({ name: 'approved_by_user_id', type: 'uuid', nullable: true })
  approvedByUserId: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'approved_by_user_id' })
  approvedBy?: UserEntity;

  @Column({ name: 'rejected_at', type: 'timestamptz', nullable: true })
  rejectedAt: Date | null;

  @Column({ name: 'rejected_by_user_id', type: 'uuid', nullable: true })
  rejectedByUserId: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'rejected_by_user_id' })
  rejectedBy?: UserEntity;

  @Column({ name: 'rejection_reason', type: 'text', nullable: true })
  rejectionReason: string | null;

  /** Not executed before this time (the grace period of a self-service deletion). */
  @Column({ name: 'execute_after', type: 'timestamptz', nullable: true })
  executeAfter: Date | null;

  /** When a message for it was last sent to the `data-request` queue (the sweep re-sends lost ones). */
  @Column({ name: 'queued_at', type: 'timestamptz', nullable: true })
  queuedAt: Date | null;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  /** Last sign of life of an execution (progress); a stale EXECUTING request is taken over. */
  @Column({ name: 'heartbeat_at', type: 'timestamptz', nullable: true })
  heartbeatAt: Date | null;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  /** The worker's claim: new at every claim; its changes and its export's archive key hold it (DataRequestExecutor.held). */
  @Column({ name: 'claim_id', type: 'uuid', nullable: true })
  claimId: string | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ name: 'canceled_at', type: 'timestamptz', nullable: true })
  canceledAt: Date | null;

  /** Why an approved request does not run yet, e.g. `LEGAL_HOLD`. */
  @Column({ name: 'waiting_reason', type: 'text', nullable: true })
  waitingReason: string | null;

  /** The legal hold it waits for (its id and reference). */
  @Column({ name: 'waiting_hold_id', type: 'uuid', nullable: true })
  waitingHoldId: string | null;

  @Column({ name: 'waiting_reference', type: 'text', nullable: true })
  waitingReference: string | null;

  @Column({ type: 'real', default: 0 })
  progress: number;

  @Column({ type: 'text', nullable: true })
  step: string | null;

  @Column({ type: 'jsonb', nullable: true })
  receipt: DataRequestReceipt | null;

  @Index('idx_data_requests_export_blob_key', { where: 'export_blob_key IS NOT NULL' }) // the orphan-blobs sweep's look-up
  @Column({ name: 'export_blob_key', type: 'text', nullable: true })
  exportBlobKey: string | null;

  @Column({ name: 'export_expires_at', type: 'timestamptz', nullable: true })
  exportExpiresAt: Date | null;

  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode: string | null;
}
