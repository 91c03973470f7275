import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A data request's claim: a fresh id each time a worker claims it (DataRequestExecutor). A worker's every change,
 * and the key of the archive an export writes, hold that id, so a worker taken for dead and taken over changes
 * nothing after, even once the attempts count starts over (approving a FAILED request again resets it).
 */
export class DataRequestClaim1796185000000 implements MigrationInterface {
  name = 'DataRequestClaim1796185000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "data_requests" ADD "claim_id" uuid');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "data_requests" DROP COLUMN "claim_id"');
  }
}
