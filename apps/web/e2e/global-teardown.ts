import { rmSync } from 'node:fs';
import apiGlobalTeardown from '../../api/testing/global-teardown';

export default async function globalTeardown(): Promise<void> {
  await apiGlobalTeardown();
  if (process.env.CUTOUT_E2E_WEB_DIST) rmSync(process.env.CUTOUT_E2E_WEB_DIST, { recursive: true, force: true });
}
