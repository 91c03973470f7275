import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import apiGlobalSetup from '../../api/testing/global-setup';

const ROOT = path.resolve(__dirname, '../../..');

/**
 * Once per run: the API's PostgreSQL (embedded unless DATABASE_URL is set) and a production build
 * of the dashboard in a temp folder (CUTOUT_E2E_WEB_DIST), which every test's API serves.
 */
export default async function globalSetup(): Promise<void> {
  await apiGlobalSetup();
  const outDir = mkdtempSync(path.join(tmpdir(), 'cutout-e2e-web-'));
  const build = spawnSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'apps/web/vite.config.mts',
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (build.status !== 0)
    throw new Error(`the dashboard build failed (exit ${build.status ?? build.signal}):\n${build.stdout}${build.stderr}`);
  process.env.CUTOUT_E2E_WEB_DIST = outDir;
}
