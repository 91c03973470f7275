import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../../../accounts/entities/user.entity';
import type { AuditAction, AuditActorKind } from '../audit-actions';

/**
 * One entry of the append-only audit log. The database refuses UPDATE, DELETE and TRUNCATE,
 * except an UPDATE that only clears the two links to a person (`actor_user_id`,
 * `subject_user_id`): their foreign keys are ON DELETE SET NULL, so deleting an account
 * unlinks every entry about it while the entry itself stays. No personal data in clear:
 * ids, roles, counts and the reason an admin typed.
 */
@Entity('audit_log')
@Index('idx_audit_log_team', ['teamId', 'occurredAt'])
@Index('idx_audit_log_occurred', ['occurredAt'])
@Index('idx_audit_log_actor', ['actorUserId'])
@Index('idx_audit_log_subject', ['subjectUserId'])
export class AuditLogEntryEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @CreateDateColumn({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'text' })
  action: AuditAction;

  @Column({ name: 'actor_kind', type: 'text' })
  actorKind: AuditActorKind;

  /** The person who acted (USER, or the owner of the API key); cleared when their account is deleted. */
  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'actor_user_id' })
  actorUser?: UserEntity;

  @Column({ name: 'actor_api_key_id', type: 'uuid', nullable: true })
  actorApiKeyId: string | null;

  /** The team the action happened in, if any (kept after the team is gone: no foreign key). */
  @Column({ name: 'team_id', type: 'uuid', nullable: true })
  teamId: string | null;

  /** The person the action is about (a member whose role changed, a data request's subject); cleared on deletion. */
  @Column({ name: 'subject_user_id', type: 'uuid', nullable: true })
  subjectUserId: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'subject_user_id' })
  subjectUser?: UserEntity;

  /** The object acted on when it is not a person: API_KEY, DATA_REQUEST, LEGAL_HOLD, TEAM … */
  @Column({ name: 'target_type', type: 'text', nullable: true })
  targetType: string | null;

  @Column({ name: 'target_id', type: 'text', nullable: true })
  targetId: string | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  /** Facts without personal data: roles before and after, counts, a request's kind. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  details: Record<string, unknown>;
}
