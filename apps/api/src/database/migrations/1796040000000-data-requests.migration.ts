import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DataRequests1796040000000 implements MigrationInterface {
  name = 'DataRequests1796040000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"user_data_keys\" (\"user_id\" uuid NOT NULL, \"wrapped_key\" text NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_6e0ce96ebb0ee4c9397679f629d\" PRIMARY KEY (\"user_id\"))");
    await queryRunner.query("CREATE TABLE \"data_requests\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"kind\" text NOT NULL, \"status\" text NOT NULL, \"origin\" text NOT NULL, \"subject_user_id\" uuid, \"subject_email_index\" text, \"requested_by_user_id\" uuid, \"note\" text, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"due_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"approved_at\" TIMESTAMP WITH TIME ZONE, \"approved_by_user_id\" uuid, \"rejected_at\" TIMESTAMP WITH TIME ZONE, \"rejected_by_user_id\" uuid, \"rejection_reason\" text, \"execute_after\" TIMESTAMP WITH TIME ZONE, \"queued_at\" TIMESTAMP WITH TIME ZONE, \"started_at\" TIMESTAMP WITH TIME ZONE, \"heartbeat_at\" TIMESTAMP WITH TIME ZONE, \"attempts\" integer NOT NULL DEFAULT '0', \"completed_at\" TIMESTAMP WITH TIME ZONE, \"canceled_at\" TIMESTAMP WITH TIME ZONE, \"waiting_reason\" text, \"waiting_hold_id\" uuid, \"waiting_reference\" text, \"progress\" real NOT NULL DEFAULT '0', \"step\" text, \"receipt\" jsonb, \"export_blob_key\" text, \"export_expires_at\" TIMESTAMP WITH TIME ZONE, \"error_code\" text, CONSTRAINT \"PK_43e3a8617ed406edce308696264\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_data_requests_open\" ON \"data_requests\"  (\"subject_user_id\", \"kind\") WHERE status IN ('PENDING', 'APPROVED', 'EXECUTING')");
    await queryRunner.query("CREATE INDEX \"idx_data_requests_subject\" ON \"data_requests\"  (\"subject_user_id\") ");
    await queryRunner.query("CREATE INDEX \"idx_data_requests_status\" ON \"data_requests\"  (\"status\", \"created_at\") ");
    await queryRunner.query("ALTER TABLE \"user_data_keys\" ADD CONSTRAINT \"FK_6e0ce96ebb0ee4c9397679f629d\" FOREIGN KEY (\"user_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"data_requests\" ADD CONSTRAINT \"FK_b0450ee0d00aa9bd557ff6b9dce\" FOREIGN KEY (\"subject_user_id\") REFERENCES \"users\"(\"id\") ON DELETE SET NULL ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"data_requests\" ADD CONSTRAINT \"FK_4f3aa759c6bb48562ef808d6b48\" FOREIGN KEY (\"requested_by_user_id\") REFERENCES \"users\"(\"id\") ON DELETE SET NULL ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"data_requests\" ADD CONSTRAINT \"FK_441cb8a4818d2c8b1c856920611\" FOREIGN KEY (\"approved_by_user_id\") REFERENCES \"users\"(\"id\") ON DELETE SET NULL ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"data_requests\" ADD CONSTRAINT \"FK_310ee4b6537fbefa99beaf6b819\" FOREIGN KEY (\"rejected_by_user_id\") REFERENCES \"users\"(\"id\") ON DELETE SET NULL ON UPDATE NO ACTION");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"data_requests\" DROP CONSTRAINT \"FK_310ee4b6537fbefa99beaf6b819\"");
    await queryRunner.query("ALTER TABLE \"data_requests\" DROP CONSTRAINT \"FK_441cb8a4818d2c8b1c856920611\"");
    await queryRunner.query("ALTER TABLE \"data_requests\" DROP CONSTRAINT \"FK_4f3aa759c6bb48562ef808d6b48\"");
    await queryRunner.query("ALTER TABLE \"data_requests\" DROP CONSTRAINT \"FK_b0450ee0d00aa9bd557ff6b9dce\"");
    await queryRunner.query("ALTER TABLE \"user_data_keys\" DROP CONSTRAINT \"FK_6e0ce96ebb0ee4c9397679f629d\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_data_requests_status\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_data_requests_subject\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_data_requests_open\"");
    await queryRunner.query("DROP TABLE \"data_requests\"");
    await queryRunner.query("DROP TABLE \"user_data_keys\"");
  }
}
