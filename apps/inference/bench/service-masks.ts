import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { startModelServer } from '../src/testing/test-server';
import { serviceMask, type Plane } from './eval-data';

const REPO = resolve(__dirname, '..', '..', '..');

/** Where the masks are cached unless a bench says otherwise (git-ignored). */
export const SERVICE_MASK_CACHE = join(REPO, 'dist', 'service-masks');

/**
 * The service's `type: 'mask'` alpha for each photo (the real service over gRPC, started only when a
 * mask is missing), cached as PNG by model and file name under `cacheDir`.
 */
export async function serviceMasks(paths: string[], model: string, cacheDir: string = SERVICE_MASK_CACHE): Promise<Map<string, Plane>> {
  const dir = join(cacheDir, model);
  mkdirSync(dir, { recursive: true });
  const cached = (path: string) => join(dir, `${basename(path, extname(path))}.png`);
  const missing = paths.filter((p) => !existsSync(cached(p)));
  if (missing.length > 0) {
    const server = await startModelServer(model);
    try {
      for (const path of missing) {
        const result = await server.client.removeBackground({ image: readFileSync(path), modelId: model, options: { type: 'mask' } });
        writeFileSync(cached(path), result.image);
      }
    } finally {
      await server.close();
    }
  }
  const out = new Map<string, Plane>();
  for (const path of paths) out.set(path, await serviceMask(readFileSync(cached(path))));
  return out;
}
