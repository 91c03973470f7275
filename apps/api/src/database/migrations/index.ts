import fs from 'node:fs';

/**
 * Committed migrations, oldest first: every `<timestamp>-<name>.migration.ts` file in
 * this folder. `nx run api:migration-generate --name=<name>` writes new ones from entity changes.
 */
type MigrationClass = new () => unknown;

export const MIGRATIONS: MigrationClass[] = fs
  .readdirSync(__dirname)
  .filter((file) => /^\d+-[\w-]+\.migration\.(ts|js)$/.test(file))
  .sort()
  .flatMap((file) => Object.values(require(`./${file}`) as Record<string, MigrationClass>));
