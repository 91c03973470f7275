import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An account may have no password: a second sign-up of an address not verified yet withdraws the first
 * one's password (accounts.service.ts), and only a set-password link mailed to the address gives it one.
 * Down gives such accounts a value no password matches (`!`, not an argon2 hash), which signs nobody in.
 */
export class PasswordOptional1796178778801 implements MigrationInterface {
  name = 'PasswordOptional1796178778801';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "users" ALTER COLUMN "password_hash" DROP NOT NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE "users" SET "password_hash" = '!' WHERE "password_hash" IS NULL`);
    await queryRunner.query('ALTER TABLE "users" ALTER COLUMN "password_hash" SET NOT NULL');
  }
}
