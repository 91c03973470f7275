import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Billing1795997599424 implements MigrationInterface {
  name = 'Billing1795997599424';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"purchases\" (\"id\" uuid NOT NULL, \"team_id\" uuid NOT NULL, \"created_by_user_id\" uuid, \"pack_id\" text NOT NULL, \"credits_quarters\" integer NOT NULL, \"amount\" integer NOT NULL, \"currency\" text NOT NULL, \"status\" text NOT NULL, \"checkout_session_id\" text NOT NULL, \"payment_intent_id\" text, \"receipt_url\" text, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"chk_purchases_credits\" CHECK (\"credits_quarters\" > 0), CONSTRAINT \"chk_purchases_status\" CHECK (\"status\" IN ('PENDING', 'PAID', 'FAILED', 'REFUNDED', 'DISPUTED')), CONSTRAINT \"PK_1d55032f37a34c6eceacbbca6b8\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_purchases_checkout_session\" ON \"purchases\" (\"checkout_session_id\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_purchases_payment_intent\" ON \"purchases\" (\"payment_intent_id\") ");
    await queryRunner.query("CREATE INDEX \"idx_purchases_team_created\" ON \"purchases\" (\"team_id\", \"created_at\", \"id\") ");
    await queryRunner.query("CREATE TABLE \"billing_customers\" (\"team_id\" uuid NOT NULL, \"stripe_customer_id\" text NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_36fe24569201daa994c73838aa0\" PRIMARY KEY (\"team_id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_billing_customers_stripe_id\" ON \"billing_customers\" (\"stripe_customer_id\") ");
    await queryRunner.query("CREATE TABLE \"stripe_events\" (\"id\" text NOT NULL, \"type\" text NOT NULL, \"object_id\" text, \"payment_intent_id\" text, \"amount\" integer, \"currency\" text, \"status\" text, \"outcome\" text NOT NULL, \"received_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_d3247bd5fc3f66b6982bbcdd897\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"idx_stripe_events_payment_intent\" ON \"stripe_events\" (\"payment_intent_id\") ");
    await queryRunner.query("ALTER TABLE \"purchases\" ADD CONSTRAINT \"FK_dc0cf9d21a36510b521c146b4e6\" FOREIGN KEY (\"team_id\") REFERENCES \"teams\"(\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"purchases\" ADD CONSTRAINT \"FK_3d9bbd03998046359d6557f7526\" FOREIGN KEY (\"created_by_user_id\") REFERENCES \"users\"(\"id\") ON DELETE SET NULL ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"billing_customers\" ADD CONSTRAINT \"FK_36fe24569201daa994c73838aa0\" FOREIGN KEY (\"team_id\") REFERENCES \"teams\"(\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"billing_customers\" DROP CONSTRAINT \"FK_36fe24569201daa994c73838aa0\"");
    await queryRunner.query("ALTER TABLE \"purchases\" DROP CONSTRAINT \"FK_3d9bbd03998046359d6557f7526\"");
    await queryRunner.query("ALTER TABLE \"purchases\" DROP CONSTRAINT \"FK_dc0cf9d21a36510b521c146b4e6\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_stripe_events_payment_intent\"");
    await queryRunner.query("DROP TABLE \"stripe_events\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_billing_customers_stripe_id\"");
    await queryRunner.query("DROP TABLE \"billing_customers\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_purchases_team_created\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_purchases_payment_intent\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_purchases_checkout_session\"");
    await queryRunner.query("DROP TABLE \"purchases\"");
  }
}
