import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A person with a login. The email is stored encrypted, found by its blind index. */
@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'email_ciphertext', type: 'text' })
  emailCiphertext: string;

  @Index('uq_users_email_index', { unique: true })
  @Column({ name: 'email_index', type: 'text' })
  emailIndex: string;

  /**
   * argon2id. Null while the account has no password anyone chose with proof of the mailbox: a second
   * sign-up met it unverified (accounts.service.ts), so only a link mailed to the address sets one.
   */
  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash: string | null;

  @Column({ name: 'email_verified_at', type: 'timestamptz', nullable: true })
  emailVerifiedAt: Date | null;

  @Column({ name: 'is_platform_admin', type: 'boolean', default: false })
  isPlatformAdmin: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
