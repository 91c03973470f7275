import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A fixed-window counter, or a failure count with the time of the last attempt counted (backoff keys). Keys are hashes (never raw emails or IPs). */
@Entity('rate_limit_buckets')
export class RateLimitBucketEntity {
  @PrimaryColumn({ type: 'text' })
  key: string;

  @Column({ name: 'window_started_at', type: 'timestamptz' })
  windowStartedAt: Date;

  @Column({ type: 'integer' })
  hits: number;
}
