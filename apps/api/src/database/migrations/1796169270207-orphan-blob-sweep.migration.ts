import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The orphan-blobs sweep (storage/orphan-blobs.sweep.ts): its cursor through the store, and an index on every
 * column naming a blob, so its check of a listed batch is a look-up per key, not a scan of jobs.
 */
export class OrphanBlobSweep1796169270207 implements MigrationInterface {
  name = 'OrphanBlobSweep1796169270207';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"blob_sweep_cursors\" (\"task\" text NOT NULL, \"after_key\" text, \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT \"PK_58f6b71d53f51c9f77ccee85bdb\" PRIMARY KEY (\"task\"))");
    await queryRunner.query("CREATE INDEX \"idx_uploads_blob_key\" ON \"uploads\"  (\"blob_key\") WHERE blob_key IS NOT NULL");
    await queryRunner.query("CREATE INDEX \"idx_jobs_input_blob_key\" ON \"jobs\"  (\"input_blob_key\") WHERE input_blob_key IS NOT NULL");
    await queryRunner.query("CREATE INDEX \"idx_jobs_result_blob_key\" ON \"jobs\"  (\"result_blob_key\") WHERE result_blob_key IS NOT NULL");
    await queryRunner.query("CREATE INDEX \"idx_data_requests_export_blob_key\" ON \"data_requests\"  (\"export_blob_key\") WHERE export_blob_key IS NOT NULL");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"public\".\"idx_data_requests_export_blob_key\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_jobs_result_blob_key\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_jobs_input_blob_key\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_uploads_blob_key\"");
    await queryRunner.query("DROP TABLE \"blob_sweep_cursors\"");
  }
}
