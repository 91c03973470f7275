import { Check, Column, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { TeamEntity } from '../../teams/entities/team.entity';

/**
 * A team's credits in quarter-credits: what it may spend and what it owes (after a payment
 * reversal or a negative adjustment took more than was available). available − debt = Σ ledger.
 * No row yet: 0 and 0. Written only by `CreditsService.apply`, under SELECT … FOR UPDATE.
 */
@Entity('team_credit_balances')
@Check('chk_team_credit_balances_available', `"available_quarters" >= 0`)
@Check('chk_team_credit_balances_debt', `"debt_quarters" >= 0`)
export class TeamCreditBalanceEntity {
  @PrimaryColumn({ name: 'team_id', type: 'uuid' })
  teamId: string;

  @OneToOne(() => TeamEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'team_id' })
  team?: TeamEntity;

  @Column({ name: 'available_quarters', type: 'integer', default: 0 })
  availableQuarters: number;

  @Column({ name: 'debt_quarters', type: 'integer', default: 0 })
  debtQuarters: number;

  /** Changes applied so far; orders balance events (a subscriber skips one older than what it has). */
  @Column({ type: 'integer', default: 0 })
  version: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
