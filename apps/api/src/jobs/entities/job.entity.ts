import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { TeamEntity } from '../../teams/entities/team.entity';
import { UploadEntity } from '../../storage/entities/upload.entity';
import type { ParsedRemoveOptions } from '@cutout/inference-contract';
import { JOB_STATUSES, type JobErrorCode, type JobStage, type JobStatus } from '@cutout/job-vocabulary';

export type { JobStage, JobStatus };
/** A job's options as checked at submit (the contract's one schema, defaults filled in). */
export type JobOptions = ParsedRemoveOptions;

/** One background removal. Status only moves forward; `attempt` fences out a worker that lost its lease. */
@Entity('jobs')
@Unique('uq_jobs_team_idempotency_key', ['teamId', 'idempotencyKey'])
@Index('idx_jobs_team_created', ['teamId', 'createdAt'])
// The retention sweeper's ranges: results still stored, and finished records, by age.
@Index('idx_jobs_result_finished', ['finishedAt'], { where: 'result_blob_key IS NOT NULL' })
@Index('idx_jobs_finished', ['finishedAt'], { where: 'finished_at IS NOT NULL' })
@Check('chk_jobs_status', `"status" IN (${JOB_STATUSES.map((s) => `'${s}'`).join(', ')})`)
// The input's file name is stored in one form: sealed (FileNames), or in plaintext in a row written before names were sealed.
@Check('chk_jobs_input_filename_one_form', `("input_filename" IS NULL) <> ("input_filename_sealed" IS NULL)`)
// The sweep's range: rows whose name is still in plaintext (none once it ran).
@Index('idx_jobs_legacy_input_filename', ['id'], { where: 'input_filename IS NOT NULL' })
@Check('chk_jobs_credits', `"credits_charged_quarters" >= 0 AND "credits_refunded_quarters" IN (0, "credits_charged_quarters")`)
export class JobEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'team_id', type: 'uuid' })
  teamId: string;

  @ManyToOne(() => TeamEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'team_id' })
  team?: TeamEntity;

  @Column({ name: 'upload_id', type: 'uuid', nullable: true })
  uploadId: string | null;

  @ManyToOne(() => UploadEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'upload_id' })
  upload?: UploadEntity;

  @Column({ name: 'idempotency_key', type: 'text' })
  idempotencyKey: string;

  @Column({ type: 'text' })
  status: JobStatus;

  @Column({ type: 'text' })
  stage: JobStage;

  @Column({ type: 'real', default: 0 })
  progress: number;

  @Column({ type: 'jsonb' })
  options: JobOptions;

  /** Only in a row written before file names were sealed: the input's name in plaintext, until the sweep seals it (then null). */
  @Column({ name: 'input_filename', type: 'text', nullable: true })
  legacyInputFilename: string | null;

  /** The input's file name, sealed under the team's data key (FileNames); null only in a legacy row. */
  @Column({ name: 'input_filename_sealed', type: 'bytea', nullable: true })
  inputFilenameSealed: Buffer | null;

  /** The original's blob (the upload's); null once the retention sweeper removed the upload. */
  @Index('idx_jobs_input_blob_key', { where: 'input_blob_key IS NOT NULL' }) // the orphan-blobs sweep's look-up
  @Column({ name: 'input_blob_key', type: 'text', nullable: true })
  inputBlobKey: string | null;

  @Column({ name: 'input_content_type', type: 'text' })
  inputContentType: string;

  @Column({ name: 'input_width', type: 'integer' })
  inputWidth: number;

  @Column({ name: 'input_height', type: 'integer' })
  inputHeight: number;

  @Column({ name: 'input_bytes', type: 'integer' })
  inputBytes: number;

  @Index('idx_jobs_result_blob_key', { where: 'result_blob_key IS NOT NULL' }) // the orphan-blobs sweep's look-up
  @Column({ name: 'result_blob_key', type: 'text', nullable: true })
  resultBlobKey: string | null;

  @Column({ name: 'result_content_type', type: 'text', nullable: true })
  resultContentType: string | null;

  @Column({ name: 'result_width', type: 'integer', nullable: true })
  resultWidth: number | null;

  @Column({ name: 'result_height', type: 'integer', nullable: true })
  resultHeight: number | null;

  @Column({ name: 'result_bytes', type: 'integer', nullable: true })
  resultBytes: number | null;

  /** When the retention sweeper deleted the result's blob (result_blob_key is then null). */
  @Column({ name: 'result_purged_at', type: 'timestamptz', nullable: true })
  resultPurgedAt: Date | null;

  @Column({ name: 'foreground_fraction', type: 'real', nullable: true })
  foregroundFraction: number | null;

  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode: JobErrorCode | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage: string | null;

  @Column({ type: 'integer', default: 0 })
  attempt: number;

  @Column({ name: 'queued_at', type: 'timestamptz' })
  queuedAt: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  @Column({ name: 'inference_ms', type: 'integer', nullable: true })
  inferenceMs: number | null;

  /** Quarter-credits charged when the job was created (JOB_CHARGE, in the same transaction). */
  @Column({ name: 'credits_charged_quarters', type: 'integer', default: 0 })
  creditsChargedQuarters: number;

  /** Quarter-credits given back (JOB_REFUND) by the transaction that ended it FAILED or CANCELED: 0 or all of the charge. */
  @Column({ name: 'credits_refunded_quarters', type: 'integer', default: 0 })
  creditsRefundedQuarters: number;

  /** Incremented by every change of the row (under its row lock): orders the job's events. */
  @Column({ name: 'version', type: 'integer', default: 0 })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
