import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Every Stripe webhook event received, once (its id is the key): ids, type, amount and status
 * only — never the payload, which can carry the payer's email and name.
 */
@Entity('stripe_events')
export class StripeEventEntity {
  /** Stripe's event id (`evt_…`). */
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  type: string;

  /** The Checkout Session, charge or dispute the event is about. */
  @Column({ name: 'object_id', type: 'text', nullable: true })
  objectId: string | null;

  @Index('idx_stripe_events_payment_intent')
  @Column({ name: 'payment_intent_id', type: 'text', nullable: true })
  paymentIntentId: string | null;

  /** Session total, amount refunded or amount disputed, in the minor unit. */
  @Column({ type: 'integer', nullable: true })
  amount: number | null;

  @Column({ type: 'text', nullable: true })
  currency: string | null;

  /** Stripe's status: the session's payment_status, `refunded`/`partially_refunded`, the dispute's status. */
  @Column({ type: 'text', nullable: true })
  status: string | null;

  /** What we did: applied, duplicate-free no-op (ignored), deferred until the purchase is paid, unmatched. */
  @Column({ type: 'text' })
  outcome: string;

  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;
}
