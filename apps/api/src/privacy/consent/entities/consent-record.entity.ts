import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { ConsentCategory, ConsentSource } from '../dto/consent.enums';

/**
 * One cookie-consent choice, as made: which categories, against which version of the cookie
 * policy, where (banner or settings) and when. Append-only: the database refuses UPDATE, DELETE
 * and TRUNCATE, except clearing `visitor_id` and `ip_hash`. The record names no person: an
 * anonymous visitor's random id (the `cutout_visitor` cookie) at most; the link to an account
 * lives in `consent_record_users`. No IP address, no user agent: a keyed hash of the client
 * address at most. Erasing the account removes the link and clears the visitor id and address
 * hash of its choices (ConsentService.clearIdentifiers): the choice itself stays as proof.
 */
@Entity('consent_records')
@Index('idx_consent_records_visitor', ['visitorId', 'recordedAt'])
@Check('chk_consent_records_strictly_necessary', `'STRICTLY_NECESSARY' = ANY (categories)`)
export class ConsentRecordEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The anonymous visitor who chose (random, from the `cutout_visitor` cookie); null when a signed-in user chose. */
  @Column({ name: 'visitor_id', type: 'uuid', nullable: true })
  visitorId: string | null;

  @Column({ type: 'text', array: true })
  categories: ConsentCategory[];

  @Column({ name: 'policy_version', type: 'text' })
  policyVersion: string;

  @Column({ type: 'text' })
  source: ConsentSource;

  /** The clock's time of the choice. */
  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;

  /** HMAC of the client address under a key of its own context (`consent-ip`): proof of origin, never the address. */
  @Column({ name: 'ip_hash', type: 'text', nullable: true })
  ipHash: string | null;
}
