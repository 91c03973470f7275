import type { MigrationInterface, QueryRunner } from 'typeorm';

export class JobEventVersion1795998000000 implements MigrationInterface {
  name = 'JobEventVersion1795998000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"jobs\" ADD \"version\" integer NOT NULL DEFAULT '0'");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"jobs\" DROP COLUMN \"version\"");
  }
}
