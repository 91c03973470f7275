import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appendOnlyTriggers } from '../append-only';

/** Policy acceptances, and the append-only cookie-consent history with its separate link to accounts. */
export class PoliciesConsent1796020000000 implements MigrationInterface {
  name = 'PoliciesConsent1796020000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "policy_acceptances" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "kind" text NOT NULL, "version" text NOT NULL, "accepted_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_policy_acceptances" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "uq_policy_acceptances_user_version" ON "policy_acceptances" ("user_id", "kind", "version") ');
    await queryRunner.query(
      'ALTER TABLE "policy_acceptances" ADD CONSTRAINT "FK_52a82b629dfdd27929e1135e7eb" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      `CREATE TABLE "consent_records" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "visitor_id" uuid, "categories" text array NOT NULL, "policy_version" text NOT NULL, "source" text NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ip_hash" text, CONSTRAINT "chk_consent_records_strictly_necessary" CHECK ('STRICTLY_NECESSARY' = ANY (categories)), CONSTRAINT "PK_consent_records" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query('CREATE INDEX "idx_consent_records_visitor" ON "consent_records" ("visitor_id", "recorded_at") ');
    await queryRunner.query(
      'CREATE TABLE "consent_record_users" ("consent_id" uuid NOT NULL, "user_id" uuid NOT NULL, CONSTRAINT "PK_consent_record_users" PRIMARY KEY ("consent_id"))',
    );
    await queryRunner.query('CREATE INDEX "idx_consent_record_users_user" ON "consent_record_users" ("user_id") ');
    await queryRunner.query(
      'ALTER TABLE "consent_record_users" ADD CONSTRAINT "FK_eef1d686dc1d2f87dc3e0fc5a1f" FOREIGN KEY ("consent_id") REFERENCES "consent_records"("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "consent_record_users" ADD CONSTRAINT "FK_d61dd87fb3683bfe4b5513f66e9" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    // The history itself is append-only; nothing in it names a person (the link table does).
    for (const sql of appendOnlyTriggers('consent_records', [])) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER "consent_records_no_truncate" ON "consent_records"');
    await queryRunner.query('DROP TRIGGER "consent_records_append_only" ON "consent_records"');
    await queryRunner.query('ALTER TABLE "consent_record_users" DROP CONSTRAINT "FK_d61dd87fb3683bfe4b5513f66e9"');
    await queryRunner.query('ALTER TABLE "consent_record_users" DROP CONSTRAINT "FK_eef1d686dc1d2f87dc3e0fc5a1f"');
    await queryRunner.query('DROP INDEX "public"."idx_consent_record_users_user"');
    await queryRunner.query('DROP TABLE "consent_record_users"');
    await queryRunner.query('DROP INDEX "public"."idx_consent_records_visitor"');
    await queryRunner.query('DROP TABLE "consent_records"');
    await queryRunner.query('ALTER TABLE "policy_acceptances" DROP CONSTRAINT "FK_52a82b629dfdd27929e1135e7eb"');
    await queryRunner.query('DROP INDEX "public"."uq_policy_acceptances_user_version"');
    await queryRunner.query('DROP TABLE "policy_acceptances"');
  }
}
