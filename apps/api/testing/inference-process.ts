import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..');
const INFERENCE_MAIN = path.join(ROOT, 'apps', 'inference', 'src', 'main.ts');
const TINY_MODEL_CLI = path.join(ROOT, 'apps', 'inference', 'src', 'testing', 'write-tiny-model.cli.ts');

/**
 * A temporary models folder holding the generated tiny ONNX model (id "tiny"). `slowRun`: a
 * 256² variant with busy work, so a run lasts long enough to stream progress ticks.
 */
export function writeTinyModelDir(options: { slowRun?: boolean } = {}): string {
  const modelsDir = mkdtempSync(path.join(tmpdir(), 'cutout-tiny-model-'));
  const shape = options.slowRun ? ['256', '48'] : ['64'];
  const written = spawnSync(process.execPath, ['-r', '@swc-node/register', TINY_MODEL_CLI, modelsDir, 'tiny', ...shape], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (written.status !== 0) throw new Error(`could not write the tiny model: ${written.stderr}`);
  return modelsDir;
}

export interface InferenceProcess {
  address: string;
  process: ChildProcess;
  logs(): string;
  close(): Promise<void>;
}

/**
 * The real inference service (apps/inference) as a child process on a free port.
 * `model: 'tiny'` serves the generated tiny ONNX model; `'medium'` the real default model
 * from models/cache (assembled by `npm run models`); `slowRun` the tiny model with busy work.
 */
export async function startInferenceProcess(
  options: { model?: 'tiny' | 'medium'; slowRun?: boolean; env?: Record<string, string> } = {},
): Promise<InferenceProcess> {
  const model = options.model ?? 'tiny';
  const modelsDir = model === 'tiny' ? writeTinyModelDir({ slowRun: options.slowRun }) : undefined;
  const child = spawn(process.execPath, ['-r', '@swc-node/register', INFERENCE_MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      INFERENCE_HOST: '127.0.0.1',
      INFERENCE_PORT: '0',
      INFERENCE_PRELOAD: model,
      INFERENCE_THREADS: model === 'tiny' ? '1' : '2',
      LOG_LEVEL: 'info',
      ...(modelsDir ? { MODELS_DIR: modelsDir } : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /listening on (\S+?:\d+)/.exec(output);
      if (match && /SERVING|serving|ready|warmed/i.test(output)) {
        clearInterval(timer);
        resolve(match[1]);
      }
    }, 25);
    void exited.then(() => {
      clearInterval(timer);
      reject(new Error(`the inference service exited before listening:\n${output}`));
    });
  });
  return {
    address,
    process: child,
    logs: () => output,
    async close() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      if (modelsDir) rmSync(modelsDir, { recursive: true, force: true });
    },
  };
}
