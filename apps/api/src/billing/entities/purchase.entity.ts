import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { UserEntity } from '../../accounts/entities/user.entity';
import { TeamEntity } from '../../teams/entities/team.entity';
import { PURCHASE_STATUSES, type PurchaseStatus } from './purchase-status';

/**
 * An order of a credit pack through a Stripe Checkout Session. The pack's credits, amount and
 * currency are copied at order time (packs in config may change later). Written only by billing.
 */
@Entity('purchases')
@Index('idx_purchases_team_created', ['teamId', 'createdAt', 'id'])
@Check('chk_purchases_status', `"status" IN (${PURCHASE_STATUSES.map((s) => `'${s}'`).join(', ')})`)
@Check('chk_purchases_credits', `"credits_quarters" > 0`)
export class PurchaseEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'team_id', type: 'uuid' })
  teamId: string;

  @ManyToOne(() => TeamEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'team_id' })
  team?: TeamEntity;

  @Column({ name: 'created_by_user_id', type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by_user_id' })
  createdBy?: UserEntity;

  @Column({ name: 'pack_id', type: 'text' })
  packId: string;

  @Column({ name: 'credits_quarters', type: 'integer' })
  creditsQuarters: number;

  /** In the currency's minor unit. */
  @Column({ type: 'integer' })
  amount: number;

  @Column({ type: 'text' })
  currency: string;

  @Column({ type: 'text' })
  status: PurchaseStatus;

  @Index('uq_purchases_checkout_session', { unique: true })
  @Column({ name: 'checkout_session_id', type: 'text' })
  checkoutSessionId: string;

  /** Known once the session completes; refunds and disputes find the purchase by it. */
  @Index('uq_purchases_payment_intent', { unique: true })
  @Column({ name: 'payment_intent_id', type: 'text', nullable: true })
  paymentIntentId: string | null;

  @Column({ name: 'receipt_url', type: 'text', nullable: true })
  receiptUrl: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
