import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A won dispute gives its credits back: the ledger kind PAYMENT_REINSTATEMENT and the purchase status DISPUTE_WON.
 * (TypeORM's schema diff compares CHECK constraints by name only, so this one is written by hand.)
 */
export class DisputeWon1796167817257 implements MigrationInterface {
  name = 'DisputeWon1796167817257';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "credit_ledger" DROP CONSTRAINT "chk_credit_ledger_kind"');
    await queryRunner.query(
      'ALTER TABLE "credit_ledger" ADD CONSTRAINT "chk_credit_ledger_kind" CHECK ("kind" IN (\'TRIAL_GRANT\', \'PURCHASE\', \'JOB_CHARGE\', \'JOB_REFUND\', \'PAYMENT_REVERSAL\', \'PAYMENT_REINSTATEMENT\', \'ADMIN_ADJUSTMENT\'))',
    );
    await queryRunner.query('ALTER TABLE "purchases" DROP CONSTRAINT "chk_purchases_status"');
    await queryRunner.query(
      'ALTER TABLE "purchases" ADD CONSTRAINT "chk_purchases_status" CHECK ("status" IN (\'PENDING\', \'PAID\', \'FAILED\', \'REFUNDED\', \'DISPUTED\', \'DISPUTE_WON\'))',
    );
  }

  /** Refused while a PAYMENT_REINSTATEMENT or a DISPUTE_WON purchase exists (the ledger is append-only). */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "purchases" DROP CONSTRAINT "chk_purchases_status"');
    await queryRunner.query(
      'ALTER TABLE "purchases" ADD CONSTRAINT "chk_purchases_status" CHECK ("status" IN (\'PENDING\', \'PAID\', \'FAILED\', \'REFUNDED\', \'DISPUTED\'))',
    );
    await queryRunner.query('ALTER TABLE "credit_ledger" DROP CONSTRAINT "chk_credit_ledger_kind"');
    await queryRunner.query(
      'ALTER TABLE "credit_ledger" ADD CONSTRAINT "chk_credit_ledger_kind" CHECK ("kind" IN (\'TRIAL_GRANT\', \'PURCHASE\', \'JOB_CHARGE\', \'JOB_REFUND\', \'PAYMENT_REVERSAL\', \'ADMIN_ADJUSTMENT\'))',
    );
  }
}
