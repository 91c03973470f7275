import 'reflect-metadata';
import { createDataSource } from '../database/data-source';
import { withDatabase } from './with-database';

/** Applies pending migrations (the API also does this at start). */
async function main(): Promise<void> {
  await withDatabase(async (url) => {
    const dataSource = createDataSource(url);
    await dataSource.initialize();
    try {
      const applied = await dataSource.runMigrations();
      console.log(applied.length ? `Applied: ${applied.map((m) => m.name).join(', ')}` : 'No pending migrations.');
    } finally {
      await dataSource.destroy();
    }
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
