import { writeTinyModel } from './tiny-onnx-model';

/**
 * Writes a models folder with the generated tiny test model, for other projects' tests
 * that start this service as a process:  node -r @swc-node/register write-tiny-model.cli.ts <dir> [id] [size] [work]
 * (`work`: busy layers per run, see TinyModelOptions)
 */
const [dir, id = 'tiny', size = '64', work = '0'] = process.argv.slice(2);
if (!dir) {
  console.error('usage: write-tiny-model.cli.ts <models-dir> [id] [size] [work]');
  process.exit(2);
}
const manifest = writeTinyModel(dir, { id, size: Number(size), work: Number(work) });
console.log(JSON.stringify({ modelsDir: dir, id: manifest.id }));
