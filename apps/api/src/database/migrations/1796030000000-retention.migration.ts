import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Retention1796030000000 implements MigrationInterface {
  name = 'Retention1796030000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"team_retention_policies\" (\"team_id\" uuid NOT NULL, \"uploads_hours\" integer NOT NULL, \"results_hours\" integer NOT NULL, \"job_records_days\" integer NOT NULL, \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT \"chk_team_retention_policies_results\" CHECK (\"results_hours\" <= \"job_records_days\" * 24), CONSTRAINT \"chk_team_retention_policies_positive\" CHECK (\"uploads_hours\" > 0 AND \"results_hours\" > 0 AND \"job_records_days\" > 0), CONSTRAINT \"PK_568f4f96dc52c4406aa4ffce784\" PRIMARY KEY (\"team_id\"))");
    await queryRunner.query("ALTER TABLE \"jobs\" ADD \"result_purged_at\" TIMESTAMP WITH TIME ZONE");
    await queryRunner.query("ALTER TABLE \"jobs\" ALTER COLUMN \"input_blob_key\" DROP NOT NULL");
    await queryRunner.query("CREATE INDEX \"idx_jobs_finished\" ON \"jobs\"  (\"finished_at\") WHERE finished_at IS NOT NULL");
    await queryRunner.query("CREATE INDEX \"idx_jobs_result_finished\" ON \"jobs\"  (\"finished_at\") WHERE result_blob_key IS NOT NULL");
    await queryRunner.query("ALTER TABLE \"team_retention_policies\" ADD CONSTRAINT \"FK_568f4f96dc52c4406aa4ffce784\" FOREIGN KEY (\"team_id\") REFERENCES \"teams\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"team_retention_policies\" DROP CONSTRAINT \"FK_568f4f96dc52c4406aa4ffce784\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_jobs_result_finished\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_jobs_finished\"");
    await queryRunner.query("ALTER TABLE \"jobs\" ALTER COLUMN \"input_blob_key\" SET NOT NULL");
    await queryRunner.query("ALTER TABLE \"jobs\" DROP COLUMN \"result_purged_at\"");
    await queryRunner.query("DROP TABLE \"team_retention_policies\"");
  }
}
