import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreditLedger1795997267433 implements MigrationInterface {
  name = 'CreditLedger1795997267433';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"credit_ledger\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"team_id\" uuid NOT NULL, \"amount_quarters\" integer NOT NULL, \"kind\" text NOT NULL, \"reference\" text NOT NULL, \"actor_user_id\" uuid, \"reason\" text, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"uq_credit_ledger_kind_reference\" UNIQUE (\"kind\", \"reference\"), CONSTRAINT \"chk_credit_ledger_kind\" CHECK (\"kind\" IN ('TRIAL_GRANT', 'PURCHASE', 'JOB_CHARGE', 'JOB_REFUND', 'PAYMENT_REVERSAL', 'ADMIN_ADJUSTMENT')), CONSTRAINT \"PK_7ff08f655cf2f4d118c116571db\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"idx_credit_ledger_team_created\" ON \"credit_ledger\" (\"team_id\", \"created_at\", \"id\") ");
    await queryRunner.query("CREATE TABLE \"team_credit_balances\" (\"team_id\" uuid NOT NULL, \"available_quarters\" integer NOT NULL DEFAULT '0', \"debt_quarters\" integer NOT NULL DEFAULT '0', \"version\" integer NOT NULL DEFAULT '0', \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"chk_team_credit_balances_debt\" CHECK (\"debt_quarters\" >= 0), CONSTRAINT \"chk_team_credit_balances_available\" CHECK (\"available_quarters\" >= 0), CONSTRAINT \"PK_0cf422728250b8537b0555385f0\" PRIMARY KEY (\"team_id\"))");
    await queryRunner.query("CREATE TABLE \"trial_credit_grants\" (\"email_hash\" text NOT NULL, \"granted_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_a6a07ec2c099e1944feb645d73e\" PRIMARY KEY (\"email_hash\"))");
    await queryRunner.query("ALTER TABLE \"credit_ledger\" ADD CONSTRAINT \"FK_607b16801435c8ecf925d755abb\" FOREIGN KEY (\"team_id\") REFERENCES \"teams\"(\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"credit_ledger\" ADD CONSTRAINT \"FK_f41bf5b6181b792789a84593544\" FOREIGN KEY (\"actor_user_id\") REFERENCES \"users\"(\"id\") ON DELETE SET NULL ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"team_credit_balances\" ADD CONSTRAINT \"FK_0cf422728250b8537b0555385f0\" FOREIGN KEY (\"team_id\") REFERENCES \"teams\"(\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
    // Append-only ledger: no DELETE, and the only UPDATE allowed clears the actor's link to a person
    // (ON DELETE SET NULL when an account is deleted). Written by hand: TypeORM does not model triggers.
    await queryRunner.query(`CREATE FUNCTION credit_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'credit_ledger rows cannot be deleted' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF NEW.id IS DISTINCT FROM OLD.id OR NEW.team_id IS DISTINCT FROM OLD.team_id
           OR NEW.amount_quarters IS DISTINCT FROM OLD.amount_quarters OR NEW.kind IS DISTINCT FROM OLD.kind
           OR NEW.reference IS DISTINCT FROM OLD.reference OR NEW.reason IS DISTINCT FROM OLD.reason
           OR NEW.created_at IS DISTINCT FROM OLD.created_at
           OR (NEW.actor_user_id IS DISTINCT FROM OLD.actor_user_id AND NEW.actor_user_id IS NOT NULL) THEN
          RAISE EXCEPTION 'credit_ledger rows are append-only (only actor_user_id may be cleared)' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(
      'CREATE TRIGGER credit_ledger_append_only BEFORE UPDATE OR DELETE ON credit_ledger FOR EACH ROW EXECUTE FUNCTION credit_ledger_append_only()',
    );
    await queryRunner.query(
      "CREATE FUNCTION credit_ledger_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'credit_ledger cannot be truncated'; END $$",
    );
    await queryRunner.query(
      'CREATE TRIGGER credit_ledger_no_truncate BEFORE TRUNCATE ON credit_ledger FOR EACH STATEMENT EXECUTE FUNCTION credit_ledger_no_truncate()',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER credit_ledger_no_truncate ON credit_ledger');
    await queryRunner.query('DROP FUNCTION credit_ledger_no_truncate()');
    await queryRunner.query('DROP TRIGGER credit_ledger_append_only ON credit_ledger');
    await queryRunner.query('DROP FUNCTION credit_ledger_append_only()');
    await queryRunner.query("ALTER TABLE \"team_credit_balances\" DROP CONSTRAINT \"FK_0cf422728250b8537b0555385f0\"");
    await queryRunner.query("ALTER TABLE \"credit_ledger\" DROP CONSTRAINT \"FK_f41bf5b6181b792789a84593544\"");
    await queryRunner.query("ALTER TABLE \"credit_ledger\" DROP CONSTRAINT \"FK_607b16801435c8ecf925d755abb\"");
    await queryRunner.query("DROP TABLE \"trial_credit_grants\"");
    await queryRunner.query("DROP TABLE \"team_credit_balances\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_credit_ledger_team_created\"");
    await queryRunner.query("DROP TABLE \"credit_ledger\"");
  }
}
