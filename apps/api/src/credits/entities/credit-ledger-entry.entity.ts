import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { UserEntity } from '../../accounts/entities/user.entity';
import { TeamEntity } from '../../teams/entities/team.entity';
import { CREDIT_KINDS, type CreditKind } from '../credit-kind';

/**
 * One change of a team's credits, in integer quarter-credits (signed). Append-only: a database
 * trigger refuses DELETE and every UPDATE except clearing `actor_user_id`. Written only by `CreditsService.apply`.
 */
@Entity('credit_ledger')
@Unique('uq_credit_ledger_kind_reference', ['kind', 'reference'])
@Index('idx_credit_ledger_team_created', ['teamId', 'createdAt', 'id'])
@Check('chk_credit_ledger_kind', `"kind" IN (${CREDIT_KINDS.map((k) => `'${k}'`).join(', ')})`)
export class CreditLedgerEntryEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'team_id', type: 'uuid' })
  teamId: string;

  @ManyToOne(() => TeamEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'team_id' })
  team?: TeamEntity;

  @Column({ name: 'amount_quarters', type: 'integer' })
  amountQuarters: number;

  @Column({ type: 'text' })
  kind: CreditKind;

  @Column({ type: 'text' })
  reference: string;

  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'actor_user_id' })
  actor?: UserEntity;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
