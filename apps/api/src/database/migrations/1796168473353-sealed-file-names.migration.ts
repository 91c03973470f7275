import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * File names are sealed under their team's data key (FileNames): `uploads.filename_sealed` and
 * `jobs.input_filename_sealed`. A migration cannot seal (it has no keys), so the plaintext columns
 * stay for the rows written before, nullable: the sweep tasks `upload-file-names` and
 * `job-file-names` seal those in batches and clear their plaintext (the partial indexes are their
 * range), and every reader takes either form until then. A row holds exactly one form (the CHECKs).
 */
export class SealedFileNames1796168473353 implements MigrationInterface {
  name = 'SealedFileNames1796168473353';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "uploads" ADD "filename_sealed" bytea');
    await queryRunner.query('ALTER TABLE "jobs" ADD "input_filename_sealed" bytea');
    await queryRunner.query('ALTER TABLE "uploads" ALTER COLUMN "filename" DROP NOT NULL');
    await queryRunner.query('ALTER TABLE "jobs" ALTER COLUMN "input_filename" DROP NOT NULL');
    await queryRunner.query('CREATE INDEX "idx_uploads_legacy_filename" ON "uploads" ("id") WHERE filename IS NOT NULL');
    await queryRunner.query('CREATE INDEX "idx_jobs_legacy_input_filename" ON "jobs" ("id") WHERE input_filename IS NOT NULL');
    await queryRunner.query(
      'ALTER TABLE "uploads" ADD CONSTRAINT "chk_uploads_filename_one_form" CHECK (("filename" IS NULL) <> ("filename_sealed" IS NULL))',
    );
    await queryRunner.query(
      'ALTER TABLE "jobs" ADD CONSTRAINT "chk_jobs_input_filename_one_form" CHECK (("input_filename" IS NULL) <> ("input_filename_sealed" IS NULL))',
    );
  }

  /** Refused while a sealed name exists (SET NOT NULL fails first): a migration cannot open it, and dropping it would lose it. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "jobs" ALTER COLUMN "input_filename" SET NOT NULL');
    await queryRunner.query('ALTER TABLE "uploads" ALTER COLUMN "filename" SET NOT NULL');
    await queryRunner.query('ALTER TABLE "jobs" DROP CONSTRAINT "chk_jobs_input_filename_one_form"');
    await queryRunner.query('ALTER TABLE "uploads" DROP CONSTRAINT "chk_uploads_filename_one_form"');
    await queryRunner.query('DROP INDEX "public"."idx_jobs_legacy_input_filename"');
    await queryRunner.query('DROP INDEX "public"."idx_uploads_legacy_filename"');
    await queryRunner.query('ALTER TABLE "jobs" DROP COLUMN "input_filename_sealed"');
    await queryRunner.query('ALTER TABLE "uploads" DROP COLUMN "filename_sealed"');
  }
}
