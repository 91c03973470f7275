import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../../../accounts/entities/user.entity';
import type { PolicyKind } from '../dto/policy-kind.enum';

/** A user accepted one version of a policy (at sign-up or with acceptPolicy). Deleted with the account. */
@Entity('policy_acceptances')
@Index('uq_policy_acceptances_user_version', ['userId', 'kind', 'version'], { unique: true })
export class PolicyAcceptanceEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ type: 'text' })
  kind: PolicyKind;

  @Column({ type: 'text' })
  version: string;

  /** The clock's time of the acceptance. */
  @Column({ name: 'accepted_at', type: 'timestamptz' })
  acceptedAt: Date;
}
