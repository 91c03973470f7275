import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../../accounts/entities/user.entity';
import { TeamEntity } from './team.entity';
import type { TeamRole } from './team-role';

/** An emailed invitation to join a team; the email is encrypted, the token hashed. */
@Entity('invitations')
@Check('chk_invitations_role', `"role" IN ('ADMIN', 'MEMBER')`)
export class InvitationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('idx_invitations_team_id')
  @Column({ name: 'team_id', type: 'uuid' })
  teamId: string;

  @ManyToOne(() => TeamEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'team_id' })
  team?: TeamEntity;

  @Column({ name: 'email_ciphertext', type: 'text' })
  emailCiphertext: string;

  @Column({ name: 'email_index', type: 'text' })
  emailIndex: string;

  @Column({ type: 'text' })
  role: TeamRole;

  @Index('uq_invitations_token_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'text' })
  tokenHash: string;

  @Column({ name: 'invited_by_user_id', type: 'uuid', nullable: true })
  invitedByUserId: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'invited_by_user_id' })
  invitedBy?: UserEntity;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true })
  acceptedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
