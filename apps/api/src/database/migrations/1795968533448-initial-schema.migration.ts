import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795968533448 implements MigrationInterface {
  name = 'InitialSchema1795968533448';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"users\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"email_ciphertext\" text NOT NULL, \"email_index\" text NOT NULL, \"password_hash\" text NOT NULL, \"email_verified_at\" TIMESTAMP WITH TIME ZONE, \"is_platform_admin\" boolean NOT NULL DEFAULT false, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_a3ffb1c0c8416b9fc6f907b7433\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_users_email_index\" ON \"users\"  (\"email_index\") ");
    await queryRunner.query("CREATE TABLE \"account_tokens\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"user_id\" uuid NOT NULL, \"purpose\" text NOT NULL, \"token_hash\" text NOT NULL, \"expires_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"used_at\" TIMESTAMP WITH TIME ZONE, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_5e3640c493cc6206a44b885e6a9\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"idx_account_tokens_user_id\" ON \"account_tokens\"  (\"user_id\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_account_tokens_token_hash\" ON \"account_tokens\"  (\"token_hash\") ");
    await queryRunner.query("CREATE TABLE \"sessions\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"user_id\" uuid NOT NULL, \"token_hash\" text NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"expires_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"revoked_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"PK_3238ef96f18b355b671619111bc\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"idx_sessions_user_id\" ON \"sessions\"  (\"user_id\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_sessions_token_hash\" ON \"sessions\"  (\"token_hash\") ");
    await queryRunner.query("CREATE TABLE \"teams\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"name\" text NOT NULL, \"is_personal\" boolean NOT NULL DEFAULT false, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_7e5523774a38b08a6236d322403\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE TABLE \"api_keys\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"team_id\" uuid NOT NULL, \"created_by_user_id\" uuid, \"name\" text NOT NULL, \"prefix\" text NOT NULL, \"secret_hash\" text NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"last_used_at\" TIMESTAMP WITH TIME ZONE, \"revoked_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"PK_5c8a79801b44bd27b79228e1dad\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"idx_api_keys_team_id\" ON \"api_keys\"  (\"team_id\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_api_keys_secret_hash\" ON \"api_keys\"  (\"secret_hash\") ");
    await queryRunner.query("CREATE TABLE \"rate_limit_buckets\" (\"key\" text NOT NULL, \"window_started_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"hits\" integer NOT NULL, CONSTRAINT \"PK_9eb2f8a2ae370667b4ca83dd313\" PRIMARY KEY (\"key\"))");
    await queryRunner.query("CREATE TABLE \"invitations\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"team_id\" uuid NOT NULL, \"email_ciphertext\" text NOT NULL, \"email_index\" text NOT NULL, \"role\" text NOT NULL, \"token_hash\" text NOT NULL, \"invited_by_user_id\" uuid, \"expires_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"accepted_at\" TIMESTAMP WITH TIME ZONE, \"revoked_at\" TIMESTAMP WITH TIME ZONE, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"chk_invitations_role\" CHECK (\"role\" IN ('ADMIN', 'MEMBER')), CONSTRAINT \"PK_5dec98cfdfd562e4ad3648bbb07\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"idx_invitations_team_id\" ON \"invitations\"  (\"team_id\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_invitations_token_hash\" ON \"invitations\"  (\"token_hash\") ");
    await queryRunner.query("CREATE TABLE \"memberships\" (\"team_id\" uuid NOT NULL, \"user_id\" uuid NOT NULL, \"role\" text NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"chk_memberships_role\" CHECK (\"role\" IN ('OWNER', 'ADMIN', 'MEMBER')), CONSTRAINT \"PK_d555e1e7b060aeefc7f9fb8b893\" PRIMARY KEY (\"team_id\", \"user_id\"))");
    await queryRunner.query("CREATE INDEX \"idx_memberships_user_id\" ON \"memberships\"  (\"user_id\") ");
    await queryRunner.query("ALTER TABLE \"account_tokens\" ADD CONSTRAINT \"FK_1b5fea09efc20c7f63c4a09b3d6\" FOREIGN KEY (\"user_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"sessions\" ADD CONSTRAINT \"FK_085d540d9f418cfbdc7bd55bb19\" FOREIGN KEY (\"user_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"api_keys\" ADD CONSTRAINT \"FK_dab6f38770515f36935b6f53963\" FOREIGN KEY (\"team_id\") REFERENCES \"teams\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"api_keys\" ADD CONSTRAINT \"FK_522917da2d9d41d41f7a4e367f0\" FOREIGN KEY (\"created_by_user_id\") REFERENCES \"users\"(\"id\") ON DELETE SET NULL ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"invitations\" ADD CONSTRAINT \"FK_67a78e8571040a0deb60ee6c319\" FOREIGN KEY (\"team_id\") REFERENCES \"teams\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"invitations\" ADD CONSTRAINT \"FK_e686620e08c4661e70a6b39b94a\" FOREIGN KEY (\"invited_by_user_id\") REFERENCES \"users\"(\"id\") ON DELETE SET NULL ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"memberships\" ADD CONSTRAINT \"FK_fa64f8ee48374ce2c910c7901f3\" FOREIGN KEY (\"team_id\") REFERENCES \"teams\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"memberships\" ADD CONSTRAINT \"FK_7c1e2fdfed4f6838e0c05ae5051\" FOREIGN KEY (\"user_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"memberships\" DROP CONSTRAINT \"FK_7c1e2fdfed4f6838e0c05ae5051\"");
    await queryRunner.query("ALTER TABLE \"memberships\" DROP CONSTRAINT \"FK_fa64f8ee48374ce2c910c7901f3\"");
    await queryRunner.query("ALTER TABLE \"invitations\" DROP CONSTRAINT \"FK_e686620e08c4661e70a6b39b94a\"");
    await queryRunner.query("ALTER TABLE \"invitations\" DROP CONSTRAINT \"FK_67a78e8571040a0deb60ee6c319\"");
    await queryRunner.query("ALTER TABLE \"api_keys\" DROP CONSTRAINT \"FK_522917da2d9d41d41f7a4e367f0\"");
    await queryRunner.query("ALTER TABLE \"api_keys\" DROP CONSTRAINT \"FK_dab6f38770515f36935b6f53963\"");
    await queryRunner.query("ALTER TABLE \"sessions\" DROP CONSTRAINT \"FK_085d540d9f418cfbdc7bd55bb19\"");
    await queryRunner.query("ALTER TABLE \"account_tokens\" DROP CONSTRAINT \"FK_1b5fea09efc20c7f63c4a09b3d6\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_memberships_user_id\"");
    await queryRunner.query("DROP TABLE \"memberships\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_invitations_token_hash\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_invitations_team_id\"");
    await queryRunner.query("DROP TABLE \"invitations\"");
    await queryRunner.query("DROP TABLE \"rate_limit_buckets\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_api_keys_secret_hash\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_api_keys_team_id\"");
    await queryRunner.query("DROP TABLE \"api_keys\"");
    await queryRunner.query("DROP TABLE \"teams\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_sessions_token_hash\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_sessions_user_id\"");
    await queryRunner.query("DROP TABLE \"sessions\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_account_tokens_token_hash\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_account_tokens_user_id\"");
    await queryRunner.query("DROP TABLE \"account_tokens\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_users_email_index\"");
    await queryRunner.query("DROP TABLE \"users\"");
  }
}
