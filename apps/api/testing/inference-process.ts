import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { credentials, Metadata } from '@grpc/grpc-js';
import { InferenceGrpcClient, toOutputOptions, type RemoveEvent, type RemoveRequest } from '@cutout/inference-contract';

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

/**
 * Takes an inference server's admission slot and keeps it until `release()`: a RemoveBackground call
 * (a noisy photo whose cut-out is a PNG of several MB, streamed in parts) that stops reading at its
 * first event. The server holds a call's slot until what it wrote has drained (or
 * INFERENCE_STALL_TIMEOUT_MS passes, 30 s by default), and a paused grpc-js client keeps at most 16
 * parts and a 64 KiB window, so the slot stays taken however fast the server works. `admitted`
 * resolves at the first event (the call is running); `release()` reads the call to the end and
 * resolves with the result's size.
 */
export function holdInferenceSlot(
  address: string,
  photo: Buffer,
): { admitted: Promise<void>; release(): Promise<{ width: number; height: number }> } {
  const client = new InferenceGrpcClient(address, credentials.createInsecure(), { 'grpc.max_receive_message_length': -1 });
  const request: RemoveRequest = { image: photo, modelId: '', options: toOutputOptions({ decontaminate: false }), acceptChunks: true };
  const stream = client.removeBackground(request, new Metadata());
  const admitted = new Promise<void>((resolve) =>
    stream.once('data', () => {
      stream.pause();
      resolve();
    }),
  );
  let size: { width: number; height: number } | undefined;
  stream.on('data', (event: RemoveEvent) => (size = event.result ? { width: event.result.width, height: event.result.height } : size));
  const ended = new Promise<{ width: number; height: number }>((resolve, reject) => {
    stream.on('end', () => (size ? resolve(size) : reject(new Error('the call ended without a result'))));
    stream.on('error', reject);
  }).finally(() => client.close());
  ended.catch(() => undefined);
  return {
    admitted,
    release: () => {
      stream.resume();
      return ended;
    },
  };
}
