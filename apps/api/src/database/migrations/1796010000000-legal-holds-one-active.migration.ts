import type { MigrationInterface, QueryRunner } from 'typeorm';

/** At most one active legal hold per subject: the database refuses a second one, even from two admins at once. */
export class LegalHoldsOneActive1796010000000 implements MigrationInterface {
  name = 'LegalHoldsOneActive1796010000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."idx_legal_holds_active"');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "idx_legal_holds_active" ON "legal_holds"  ("subject_kind", "subject_id") WHERE released_at IS NULL',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."idx_legal_holds_active"');
    await queryRunner.query('CREATE INDEX "idx_legal_holds_active" ON "legal_holds"  ("subject_kind", "subject_id") WHERE released_at IS NULL');
  }
}
