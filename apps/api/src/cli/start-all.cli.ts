import 'reflect-metadata';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '@cutout/config';
import { findFreePort } from '@cutout/embedded-db';
import { InferenceClient } from '@cutout/inference-contract';
import { startApi } from '../bootstrap/start-api';
import { loadApiConfig } from '../config/api.config';

/**
 * `npm start`: everything on one machine with embedded defaults — PostgreSQL (embedded),
 * the inference service (real default model) as a child process, the dashboard build,
 * and the API with its worker in this process. Set INFERENCE_URLS to use running
 * inference servers instead.
 */
const ROOT = path.join(__dirname, '..', '..', '..', '..');

function buildWeb(webDist: string): void {
  if (fs.existsSync(path.join(webDist, 'index.html'))) return;
  console.log('Building the dashboard (apps/web)…');
  const build = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'apps/web/vite.config.mts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (build.status !== 0) console.warn('The dashboard build failed; the API starts without it.');
}

async function startInference(): Promise<{ child: ChildProcess; url: string }> {
  const port = await findFreePort();
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/inference/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, INFERENCE_HOST: '127.0.0.1', INFERENCE_PORT: String(port), LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
    stdio: 'inherit',
  });
  const url = `127.0.0.1:${port}`;
  const client = new InferenceClient({ urls: [url], healthTtlMs: 0 });
  let exitCode: number | null | undefined;
  child.once('exit', (code) => (exitCode = code));
  try {
    // SERVING once the default model is loaded and warmed up.
    while (!(await client.isHealthy())) {
      if (exitCode !== undefined) throw new Error(`the inference service exited with code ${exitCode}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    client.close();
  }
  return { child, url };
}

async function main(): Promise<void> {
  let inference: ChildProcess | undefined;
  const env = { ...process.env };
  if (!env.INFERENCE_URLS && env.ROLE !== 'api') {
    console.log('Starting the inference service with the default model (first start loads the weights)…');
    const started = await startInference();
    inference = started.child;
    env.INFERENCE_URLS = started.url;
    // The child never outlives this process, whatever ends it (a failed start included).
    process.once('exit', () => started.child.kill('SIGKILL'));
  }
  const config = loadApiConfig(env);
  if (config.ROLE !== 'worker') buildWeb(path.resolve(ROOT, config.WEB_DIST_DIR));
  const api = await startApi(config);
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) {
      // A second signal: do not wait any longer.
      inference?.kill('SIGKILL');
      process.exit(code);
    }
    stopping = true;
    inference?.kill('SIGTERM');
    await api.close().catch(() => undefined);
    process.exit(code);
  };
  inference?.once('exit', (code) => {
    if (stopping) return;
    console.error(`The inference service stopped (code ${code}); stopping.`);
    void stop(1);
  });
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  console.log(`\nCutout is running: ${api.url}  (GraphQL: ${api.url}/graphql, dev mailbox: ${api.url}/dev/mailbox)\n`);
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : `Cutout failed to start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
