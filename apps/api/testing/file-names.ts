import { FileNames, JOB_FILE_NAMES, UPLOAD_FILE_NAMES } from '../src/storage/file-names';
import type { TestApi } from './test-api';

const COLUMNS = { uploads: UPLOAD_FILE_NAMES, jobs: JOB_FILE_NAMES };

/**
 * The file names a table stores, opened as the API opens them (FileNames), by row id (null: one
 * that cannot be opened): for tests that look rows up by name, which SQL cannot do since names are sealed.
 */
export async function storedFileNames(t: TestApi, table: 'uploads' | 'jobs', teamId?: string): Promise<Map<string, string | null>> {
  const { legacy, sealed } = COLUMNS[table];
  const rows = await t.sql<{ id: string; team_id: string; legacy: string | null; sealed: Buffer | null }>(
    `SELECT id, team_id, ${legacy} AS legacy, ${sealed} AS sealed FROM ${table} WHERE $1::uuid IS NULL OR team_id = $1 ORDER BY id`,
    [teamId ?? null],
  );
  const fileNames = t.api.app.get(FileNames, { strict: false });
  const names = new Map<string, string | null>();
  for (const row of rows) names.set(row.id, (await fileNames.openAll(row.team_id, [row]))[0]);
  return names;
}

/** The ids of the table's rows whose stored file name opens to `name`. */
export async function idsNamed(t: TestApi, table: 'uploads' | 'jobs', name: string, teamId?: string): Promise<string[]> {
  return [...(await storedFileNames(t, table, teamId))].filter(([, n]) => n === name).map(([id]) => id);
}
