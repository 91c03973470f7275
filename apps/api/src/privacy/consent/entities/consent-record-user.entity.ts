import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from '../../../accounts/entities/user.entity';
import { ConsentRecordEntity } from './consent-record.entity';

/**
 * The link from a consent record to the account it belongs to: written when a signed-in user
 * chooses, or when a visitor signs in (their earlier choices join the account). Deleting the
 * account deletes the link (ON DELETE CASCADE); the record itself stays, anonymous.
 */
@Entity('consent_record_users')
export class ConsentRecordUserEntity {
  @PrimaryColumn({ name: 'consent_id', type: 'uuid' })
  consentId: string;

  @ManyToOne(() => ConsentRecordEntity)
  @JoinColumn({ name: 'consent_id' })
  consent?: ConsentRecordEntity;

  @Index('idx_consent_record_users_user')
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;
}
