import type { MigrationInterface, QueryRunner } from 'typeorm';

export class UploadClaims1795993269883 implements MigrationInterface {
  name = 'UploadClaims1795993269883';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"uploads\" ADD \"claimed_until\" TIMESTAMP WITH TIME ZONE");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"uploads\" DROP COLUMN \"claimed_until\"");
  }
}
