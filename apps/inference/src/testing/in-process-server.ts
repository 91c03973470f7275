import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InferenceClient } from '@cutout/inference-contract';
import { loadInferenceConfig } from '../config/inference.config';
import { startInferenceServer, type RunningInferenceServer } from '../grpc/inference.server';
import { writeTinyModel } from './tiny-onnx-model';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface InProcessServer {
  server: RunningInferenceServer;
  client: InferenceClient;
  address: string;
  /** Closes the client and removes the models folder (stopping the server is the test's: server.stop()). */
  dispose(): void;
}

/**
 * The real service started in this process, on the generated tiny model preloaded, one ONNX Runtime and one
 * imaging thread, and serving: for tests that reach into it (its admission gate, its workers, stop()).
 * startTestServer runs it as a child process, as in production; prefer that when the test needs no such reach.
 */
export async function startInProcessServer(env: Record<string, string> = {}): Promise<InProcessServer> {
  const dir = mkdtempSync(join(tmpdir(), 'cutout-in-process-'));
  writeTinyModel(dir, { id: 'tiny', size: 64, maxBatch: 4 });
  const config = loadInferenceConfig({
    INFERENCE_HOST: '127.0.0.1',
    INFERENCE_PORT: '0',
    INFERENCE_PRELOAD: 'tiny',
    INFERENCE_THREADS: '1',
    INFERENCE_IMAGING_THREADS: '1',
    MODELS_DIR: dir,
    ...env,
  });
  const server = await startInferenceServer(config, quiet);
  await server.ready;
  const address = `127.0.0.1:${server.port}`;
  const client = new InferenceClient({ urls: address, deadlineMs: 30_000 });
  return {
    server,
    client,
    address,
    dispose: () => {
      client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
