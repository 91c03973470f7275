import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The purchase status EXPIRED: Stripe expired its Checkout Session unpaid (checkout.session.expired).
 * (TypeORM's schema diff compares CHECK constraints by name only, so this one is written by hand.)
 */
export class PurchaseExpired1796186000000 implements MigrationInterface {
  name = 'PurchaseExpired1796186000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "purchases" DROP CONSTRAINT "chk_purchases_status"');
    await queryRunner.query(
      'ALTER TABLE "purchases" ADD CONSTRAINT "chk_purchases_status" CHECK ("status" IN (\'PENDING\', \'PAID\', \'FAILED\', \'EXPIRED\', \'REFUNDED\', \'DISPUTED\', \'DISPUTE_WON\'))',
    );
  }

  /** EXPIRED purchases go back to PENDING (what they showed before this status existed). */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE "purchases" SET "status" = 'PENDING' WHERE "status" = 'EXPIRED'`);
    await queryRunner.query('ALTER TABLE "purchases" DROP CONSTRAINT "chk_purchases_status"');
    await queryRunner.query(
      'ALTER TABLE "purchases" ADD CONSTRAINT "chk_purchases_status" CHECK ("status" IN (\'PENDING\', \'PAID\', \'FAILED\', \'REFUNDED\', \'DISPUTED\', \'DISPUTE_WON\'))',
    );
  }
}
