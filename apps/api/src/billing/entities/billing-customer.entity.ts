import { Column, CreateDateColumn, Entity, Index, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { TeamEntity } from '../../teams/entities/team.entity';

/**
 * The Stripe customer of a team, made on its first purchase by earlier versions (the team id its only metadata); none
 * is made now (StripeAdapter.createCheckoutSession says why). Kept so an erasure still deletes those at Stripe.
 */
@Entity('billing_customers')
export class BillingCustomerEntity {
  @PrimaryColumn({ name: 'team_id', type: 'uuid' })
  teamId: string;

  @OneToOne(() => TeamEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'team_id' })
  team?: TeamEntity;

  @Index('uq_billing_customers_stripe_id', { unique: true })
  @Column({ name: 'stripe_customer_id', type: 'text' })
  stripeCustomerId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
