import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { buildGraphqlSchema, printSdl } from '../graphql/build-schema';

/** Writes apps/api/schema.graphql (the committed SDL); `--check` fails when it is stale. */
export const SCHEMA_FILE = path.join(__dirname, '..', '..', 'schema.graphql');

async function main(): Promise<void> {
  const sdl = printSdl(await buildGraphqlSchema());
  if (process.argv.includes('--check')) {
    const committed = fs.existsSync(SCHEMA_FILE) ? fs.readFileSync(SCHEMA_FILE, 'utf8') : '';
    if (committed !== sdl) {
      console.error('apps/api/schema.graphql is stale: run `npx nx run api:schema`.');
      process.exit(1);
    }
    console.log('apps/api/schema.graphql is up to date.');
    return;
  }
  fs.writeFileSync(SCHEMA_FILE, sdl);
  console.log(`Wrote ${path.relative(process.cwd(), SCHEMA_FILE)}.`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
