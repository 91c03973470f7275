import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { TeamEntity } from '../../teams/entities/team.entity';

export type UploadStatus = 'PENDING' | 'UPLOADED';

/** An image a team sends for processing: first declared (signed PUT URL), then its bytes arrive. */
@Entity('uploads')
// A file name is stored in one form: sealed (FileNames), or in plaintext in a row written before names were sealed.
@Check('chk_uploads_filename_one_form', `("filename" IS NULL) <> ("filename_sealed" IS NULL)`)
// The sweep's range: rows whose name is still in plaintext (none once it ran).
@Index('idx_uploads_legacy_filename', ['id'], { where: 'filename IS NOT NULL' })
export class UploadEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('idx_uploads_team_id')
  @Column({ name: 'team_id', type: 'uuid' })
  teamId: string;

  @ManyToOne(() => TeamEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'team_id' })
  team?: TeamEntity;

  @Column({ type: 'text' })
  status: UploadStatus;

  /** Only in a row written before file names were sealed: the name in plaintext, until the sweep seals it (then null). */
  @Column({ name: 'filename', type: 'text', nullable: true })
  legacyFilename: string | null;

  /** The file name, sealed under the team's data key (FileNames); null only in a legacy row. */
  @Column({ name: 'filename_sealed', type: 'bytea', nullable: true })
  filenameSealed: Buffer | null;

  @Column({ name: 'declared_content_type', type: 'text' })
  declaredContentType: string;

  @Column({ name: 'declared_bytes', type: 'integer' })
  declaredBytes: number;

  @Column({ name: 'token_hash', type: 'text', nullable: true })
  tokenHash: string | null;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  /** The credential the upload URL was made for (a signed link's `by`): its PUT works only while that one may run the team's jobs. */
  @Column({ name: 'created_by', type: 'text', nullable: true })
  createdBy: string | null;

  /** Where the bytes are (UPLOADED), or where the PUT that holds the claim is writing them (PENDING). */
  @Index('idx_uploads_blob_key', { where: 'blob_key IS NOT NULL' }) // the orphan-blobs sweep's look-up
  @Column({ name: 'blob_key', type: 'text', nullable: true })
  blobKey: string | null;

  /** Until when a PUT holds the upload while it stores the bytes; null when none does. */
  @Column({ name: 'claimed_until', type: 'timestamptz', nullable: true })
  claimedUntil: Date | null;

  @Column({ name: 'content_type', type: 'text', nullable: true })
  contentType: string | null;

  @Column({ type: 'integer', nullable: true })
  width: number | null;

  @Column({ type: 'integer', nullable: true })
  height: number | null;

  @Column({ type: 'integer', nullable: true })
  bytes: number | null;

  @Column({ name: 'uploaded_at', type: 'timestamptz', nullable: true })
  uploadedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
