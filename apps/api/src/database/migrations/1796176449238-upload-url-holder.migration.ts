import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The credential an upload URL was made for (`created_by`, as a signed link's `by`: link-holder.ts), so its PUT
 * is refused once that key is revoked, that session ends or that person leaves the team. Rows from before
 * have none and keep working until their URL expires (UPLOAD_URL_TTL_SECONDS).
 */
export class UploadUrlHolder1796176449238 implements MigrationInterface {
  name = 'UploadUrlHolder1796176449238';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "uploads" ADD "created_by" text');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "uploads" DROP COLUMN "created_by"');
  }
}
