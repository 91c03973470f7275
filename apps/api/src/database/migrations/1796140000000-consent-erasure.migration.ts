import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appendOnlyTriggers } from '../append-only';

/**
 * Consent records stay append-only, except that an erasure may clear what identifies the person
 * (`visitor_id`, `ip_hash`): the choice itself (categories, policy version, source, time) stays as proof.
 */
export class ConsentErasure1796140000000 implements MigrationInterface {
  name = 'ConsentErasure1796140000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await this.replaceTriggers(queryRunner, ['visitor_id', 'ip_hash']);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await this.replaceTriggers(queryRunner, []);
  }

  private async replaceTriggers(queryRunner: QueryRunner, clearable: string[]): Promise<void> {
    await queryRunner.query('DROP TRIGGER "consent_records_no_truncate" ON "consent_records"');
    await queryRunner.query('DROP TRIGGER "consent_records_append_only" ON "consent_records"');
    for (const sql of appendOnlyTriggers('consent_records', clearable)) await queryRunner.query(sql);
  }
}
