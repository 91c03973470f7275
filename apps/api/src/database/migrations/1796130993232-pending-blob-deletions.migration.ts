import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The outbox of blob deletions (storage/blob-deletions.ts): a blob whose row is gone is deleted even after a crash. */
export class PendingBlobDeletions1796130993232 implements MigrationInterface {
  name = 'PendingBlobDeletions1796130993232';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"pending_blob_deletions\" (\"key\" text NOT NULL, \"queued_at\" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT \"PK_0dc6c824a5a487c0e2d7629d97f\" PRIMARY KEY (\"key\"))");
    await queryRunner.query("CREATE INDEX \"idx_pending_blob_deletions_queued\" ON \"pending_blob_deletions\"  (\"queued_at\") ");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"public\".\"idx_pending_blob_deletions_queued\"");
    await queryRunner.query("DROP TABLE \"pending_blob_deletions\"");
  }
}
