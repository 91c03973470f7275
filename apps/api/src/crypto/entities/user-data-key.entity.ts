import { Column, CreateDateColumn, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from '../../accounts/entities/user.entity';

/**
 * A user's own data key, wrapped by the master key: the blobs that belong to a person rather
 * than a team (their data-export archives) are encrypted under it. It goes with the account
 * (ON DELETE CASCADE), which makes every copy of those blobs unreadable, backups included.
 */
@Entity('user_data_keys')
export class UserDataKeyEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @OneToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ name: 'wrapped_key', type: 'text' })
  wrappedKey: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
