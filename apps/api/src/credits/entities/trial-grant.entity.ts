import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * Email addresses that already received trial credits, as a keyed hash (the blind index of
 * `PersonalDataService`, never the address). Kept after the account is deleted — the one
 * trace left — so that signing up again with the same address earns no second trial.
 */
@Entity('trial_credit_grants')
export class TrialGrantEntity {
  @PrimaryColumn({ name: 'email_hash', type: 'text' })
  emailHash: string;

  @CreateDateColumn({ name: 'granted_at', type: 'timestamptz' })
  grantedAt: Date;
}
