// `npm run models [-- <id>...]`: assembles and verifies model weights into models/cache/.
import { join } from 'node:path';
import { ensureModelFile } from './model-assembler';
import { loadManifests } from './model-manifest';

async function main(): Promise<void> {
  const modelsDir = process.env['MODELS_DIR'] ?? join(__dirname, '..', '..', '..', '..', 'models');
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const manifests = loadManifests(modelsDir).filter((m) => wanted.length === 0 || wanted.includes(m.id));
  for (const manifest of manifests) {
    const started = Date.now();
    const { path, outcome } = await ensureModelFile(modelsDir, manifest);
    console.log(`models: ${manifest.id} ${outcome} ${path} (${Date.now() - started} ms)`);
  }
}

main().catch((error: unknown) => {
  console.error(`models: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
