import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APPEND_ONLY_FUNCTION, appendOnlyTriggers } from '../append-only';

export class PrivacyCore1796003974382 implements MigrationInterface {
  name = 'PrivacyCore1796003974382';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"audit_log\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"occurred_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"action\" text NOT NULL, \"actor_kind\" text NOT NULL, \"actor_user_id\" uuid, \"actor_api_key_id\" uuid, \"team_id\" uuid, \"subject_user_id\" uuid, \"target_type\" text, \"target_id\" text, \"reason\" text, \"details\" jsonb NOT NULL DEFAULT '{}', CONSTRAINT \"PK_07fefa57f7f5ab8fc3f52b3ed0b\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"idx_audit_log_subject\" ON \"audit_log\"  (\"subject_user_id\") ");
    await queryRunner.query("CREATE INDEX \"idx_audit_log_actor\" ON \"audit_log\"  (\"actor_user_id\") ");
    await queryRunner.query("CREATE INDEX \"idx_audit_log_occurred\" ON \"audit_log\"  (\"occurred_at\") ");
    await queryRunner.query("CREATE INDEX \"idx_audit_log_team\" ON \"audit_log\"  (\"team_id\", \"occurred_at\") ");
    await queryRunner.query("CREATE TABLE \"legal_holds\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"subject_kind\" text NOT NULL, \"subject_id\" uuid NOT NULL, \"reference\" text NOT NULL, \"placed_by_user_id\" uuid, \"placed_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"released_at\" TIMESTAMP WITH TIME ZONE, \"released_by_user_id\" uuid, \"release_reason\" text, CONSTRAINT \"PK_bbe3e0c98678909493a90442dfb\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"idx_legal_holds_active\" ON \"legal_holds\"  (\"subject_kind\", \"subject_id\") WHERE released_at IS NULL");
    await queryRunner.query("ALTER TABLE \"audit_log\" ADD CONSTRAINT \"FK_1c4c8c76598008ea972a84e7834\" FOREIGN KEY (\"actor_user_id\") REFERENCES \"users\"(\"id\") ON DELETE SET NULL ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"audit_log\" ADD CONSTRAINT \"FK_133a6b61782574a738881abdf26\" FOREIGN KEY (\"subject_user_id\") REFERENCES \"users\"(\"id\") ON DELETE SET NULL ON UPDATE NO ACTION");
    await queryRunner.query(APPEND_ONLY_FUNCTION);
    for (const sql of appendOnlyTriggers('audit_log', ['actor_user_id', 'subject_user_id'])) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER "audit_log_no_truncate" ON "audit_log"');
    await queryRunner.query('DROP TRIGGER "audit_log_append_only" ON "audit_log"');
    await queryRunner.query('DROP FUNCTION cutout_append_only()');
    await queryRunner.query("ALTER TABLE \"audit_log\" DROP CONSTRAINT \"FK_133a6b61782574a738881abdf26\"");
    await queryRunner.query("ALTER TABLE \"audit_log\" DROP CONSTRAINT \"FK_1c4c8c76598008ea972a84e7834\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_legal_holds_active\"");
    await queryRunner.query("DROP TABLE \"legal_holds\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_audit_log_team\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_audit_log_occurred\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_audit_log_actor\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_audit_log_subject\"");
    await queryRunner.query("DROP TABLE \"audit_log\"");
  }
}
