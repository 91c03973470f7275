import fs from 'node:fs';
import path from 'node:path';
import { createDataSource } from '../database/data-source';
import { pendingSchemaChanges } from '../database/schema-drift';
import { withDatabase } from './with-database';

/** Writes a migration with the SQL that turns the committed migrations' schema into the entities' schema. */
async function main(): Promise<void> {
  const name = (process.argv[2] ?? '').replace(/[^a-z0-9-]/gi, '-').toLowerCase();
  if (!name || name === 'undefined') throw new Error('usage: nx run api:migration-generate --name=<kebab-name>');
  await withDatabase(
    async (url) => {
      const dataSource = createDataSource(url);
      await dataSource.initialize();
      try {
        await dataSource.runMigrations();
        const { up, down } = await pendingSchemaChanges(dataSource);
        if (!up.length) {
          console.log('Entities and migrations agree: nothing to generate.');
          return;
        }
        const timestamp = Date.now();
        const className = name.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase()) + timestamp;
        const lines = (queries: string[]) => queries.map((q) => `    await queryRunner.query(${JSON.stringify(q)});`).join('\n');
        const file = path.join(__dirname, '..', 'database', 'migrations', `${timestamp}-${name}.migration.ts`);
        fs.writeFileSync(
          file,
          `import type { MigrationInterface, QueryRunner } from 'typeorm';\n\n` +
            `export class ${className} implements MigrationInterface {\n  name = '${className}';\n\n` +
            `  async up(queryRunner: QueryRunner): Promise<void> {\n${lines(up)}\n  }\n\n` +
            `  async down(queryRunner: QueryRunner): Promise<void> {\n${lines(down.reverse())}\n  }\n}\n`,
        );
        console.log(`Wrote ${path.relative(process.cwd(), file)} (${up.length} statements).`);
      } finally {
        await dataSource.destroy();
      }
    },
    { throwaway: true },
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
