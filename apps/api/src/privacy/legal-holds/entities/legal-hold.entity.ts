import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const LegalHoldSubjectKind = { USER: 'USER', TEAM: 'TEAM' } as const;
export type LegalHoldSubjectKind = (typeof LegalHoldSubjectKind)[keyof typeof LegalHoldSubjectKind];

/**
 * A legal hold on a user or a team: while it is active (not released), deletion and retention
 * pause for that subject. A hold on a user also holds the user's personal teams. No foreign
 * keys: a hold is a record about a subject that must outlive changes to it. At most one active
 * hold per subject (a unique partial index).
 */
@Entity('legal_holds')
@Index('idx_legal_holds_active', ['subjectKind', 'subjectId'], { unique: true, where: 'released_at IS NULL' })
export class LegalHoldEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'subject_kind', type: 'text' })
  subjectKind: LegalHoldSubjectKind;

  @Column({ name: 'subject_id', type: 'uuid' })
  subjectId: string;

  /** The legal document it rests on (case number, authority's reference), as the admin typed it. */
  @Column({ type: 'text' })
  reference: string;

  @Column({ name: 'placed_by_user_id', type: 'uuid', nullable: true })
  placedByUserId: string | null;

  @CreateDateColumn({ name: 'placed_at', type: 'timestamptz' })
  placedAt: Date;

  @Column({ name: 'released_at', type: 'timestamptz', nullable: true })
  releasedAt: Date | null;

  @Column({ name: 'released_by_user_id', type: 'uuid', nullable: true })
  releasedByUserId: string | null;

  @Column({ name: 'release_reason', type: 'text', nullable: true })
  releaseReason: string | null;
}
