import type { MigrationInterface, QueryRunner } from 'typeorm';

export class UploadsJobs1795969649773 implements MigrationInterface {
  name = 'UploadsJobs1795969649773';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"team_data_keys\" (\"team_id\" uuid NOT NULL, \"wrapped_key\" text NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_4c164d6d36190127ad435bb57bc\" PRIMARY KEY (\"team_id\"))");
    await queryRunner.query("CREATE TABLE \"uploads\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"team_id\" uuid NOT NULL, \"status\" text NOT NULL, \"filename\" text NOT NULL, \"declared_content_type\" text NOT NULL, \"declared_bytes\" integer NOT NULL, \"token_hash\" text, \"expires_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"blob_key\" text, \"content_type\" text, \"width\" integer, \"height\" integer, \"bytes\" integer, \"uploaded_at\" TIMESTAMP WITH TIME ZONE, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_d1781d1eedd7459314f60f39bd3\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"idx_uploads_team_id\" ON \"uploads\"  (\"team_id\") ");
    await queryRunner.query("CREATE TABLE \"jobs\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"team_id\" uuid NOT NULL, \"upload_id\" uuid, \"idempotency_key\" text NOT NULL, \"status\" text NOT NULL, \"stage\" text NOT NULL, \"progress\" real NOT NULL DEFAULT '0', \"options\" jsonb NOT NULL, \"input_filename\" text NOT NULL, \"input_blob_key\" text NOT NULL, \"input_content_type\" text NOT NULL, \"input_width\" integer NOT NULL, \"input_height\" integer NOT NULL, \"input_bytes\" integer NOT NULL, \"result_blob_key\" text, \"result_content_type\" text, \"result_width\" integer, \"result_height\" integer, \"result_bytes\" integer, \"foreground_fraction\" real, \"error_code\" text, \"error_message\" text, \"attempt\" integer NOT NULL DEFAULT '0', \"queued_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"started_at\" TIMESTAMP WITH TIME ZONE, \"finished_at\" TIMESTAMP WITH TIME ZONE, \"inference_ms\" integer, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"uq_jobs_team_idempotency_key\" UNIQUE (\"team_id\", \"idempotency_key\"), CONSTRAINT \"chk_jobs_status\" CHECK (\"status\" IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELED')), CONSTRAINT \"PK_cf0a6c42b72fcc7f7c237def345\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"idx_jobs_team_created\" ON \"jobs\"  (\"team_id\", \"created_at\") ");
    await queryRunner.query("ALTER TABLE \"team_data_keys\" ADD CONSTRAINT \"FK_4c164d6d36190127ad435bb57bc\" FOREIGN KEY (\"team_id\") REFERENCES \"teams\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"uploads\" ADD CONSTRAINT \"FK_b58e0c745e62b83124b54afca1d\" FOREIGN KEY (\"team_id\") REFERENCES \"teams\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"jobs\" ADD CONSTRAINT \"FK_b948d7fedbb365b56cc18825cdf\" FOREIGN KEY (\"team_id\") REFERENCES \"teams\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"jobs\" ADD CONSTRAINT \"FK_63d76f230d7e4593507bc17737b\" FOREIGN KEY (\"upload_id\") REFERENCES \"uploads\"(\"id\") ON DELETE SET NULL ON UPDATE NO ACTION");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"jobs\" DROP CONSTRAINT \"FK_63d76f230d7e4593507bc17737b\"");
    await queryRunner.query("ALTER TABLE \"jobs\" DROP CONSTRAINT \"FK_b948d7fedbb365b56cc18825cdf\"");
    await queryRunner.query("ALTER TABLE \"uploads\" DROP CONSTRAINT \"FK_b58e0c745e62b83124b54afca1d\"");
    await queryRunner.query("ALTER TABLE \"team_data_keys\" DROP CONSTRAINT \"FK_4c164d6d36190127ad435bb57bc\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_jobs_team_created\"");
    await queryRunner.query("DROP TABLE \"jobs\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_uploads_team_id\"");
    await queryRunner.query("DROP TABLE \"uploads\"");
    await queryRunner.query("DROP TABLE \"team_data_keys\"");
  }
}
