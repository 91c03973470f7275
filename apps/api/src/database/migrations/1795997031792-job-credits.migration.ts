import type { MigrationInterface, QueryRunner } from 'typeorm';

export class JobCredits1795997031792 implements MigrationInterface {
  name = 'JobCredits1795997031792';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"jobs\" ADD \"credits_charged_quarters\" integer NOT NULL DEFAULT '0'");
    await queryRunner.query("ALTER TABLE \"jobs\" ADD \"credits_refunded_quarters\" integer NOT NULL DEFAULT '0'");
    await queryRunner.query("ALTER TABLE \"jobs\" ADD CONSTRAINT \"chk_jobs_credits\" CHECK (\"credits_charged_quarters\" >= 0 AND \"credits_refunded_quarters\" IN (0, \"credits_charged_quarters\"))");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"jobs\" DROP CONSTRAINT \"chk_jobs_credits\"");
    await queryRunner.query("ALTER TABLE \"jobs\" DROP COLUMN \"credits_refunded_quarters\"");
    await queryRunner.query("ALTER TABLE \"jobs\" DROP COLUMN \"credits_charged_quarters\"");
  }
}
