import 'reflect-metadata';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '@cutout/config';
import { findFreePort } from '@cutout/embedded-db';
import { InferenceClient, inferenceNodeArgs, inferenceProcessEnv } from '@cutout/inference-contract';
import { startApi } from '../bootstrap/start-api';
import { loadApiConfig } from '../config/api.config';
import { ChildSupervisor, DEFAULT_RESTART_POLICY } from './child-supervisor';

/**
 * `npm start`: everything on one machine with embedded defaults — PostgreSQL (embedded),
 * the inference service (real default model) as a child process, the dashboard build,
 * and the API with its worker in this process. Set INFERENCE_URLS to use running
 * inference servers instead. The inference child is supervised: restarted with backoff when
 * it dies (the API stays up); one not serving INFERENCE_START_TIMEOUT_SECONDS after it was
 * spawned is killed and counts as a failed start; when it keeps failing at start, everything stops (exit 1).
 */
const ROOT = path.join(__dirname, '..', '..', '..', '..');

/** Builds the dashboard into `webDist` once (when it holds no index.html); a failed build stops the start. */
function buildWeb(webDist: string): void {
  if (fs.existsSync(path.join(webDist, 'index.html'))) return;
  console.log('Building the dashboard (apps/web)…');
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const build = spawnSync(
    process.execPath,
    [vite, 'build', '--config', 'apps/web/vite.config.mts', '--outDir', webDist, '--no-emptyOutDir', '--logLevel', 'warn'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
  if (build.status !== 0 || !fs.existsSync(path.join(webDist, 'index.html'))) {
    throw new Error(
      `the dashboard build (apps/web) failed (${build.error?.message ?? `exit ${build.status ?? build.signal}`}); fix it, or set ROLE=api/worker or WEB_DIST_DIR to a built dashboard`,
    );
  }
}

/**
 * The inference service as a supervised child on a fixed port (INFERENCE_URLS stays valid
 * across restarts): resolves once it serves the default model.
 */
async function startInference(startTimeoutSeconds: number): Promise<{ supervisor: ChildSupervisor; url: string }> {
  const port = await findFreePort();
  const url = `127.0.0.1:${port}`;
  const health = new InferenceClient({ urls: [url], healthTtlMs: 0 });
  const supervisor = new ChildSupervisor({
    name: 'inference service',
    spawn: () =>
      spawn(process.execPath, inferenceNodeArgs('apps/inference/src/main.ts'), {
        cwd: ROOT,
        env: inferenceProcessEnv({
          ...process.env,
          INFERENCE_HOST: '127.0.0.1',
          INFERENCE_PORT: String(port),
          LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
        }),
        stdio: 'inherit',
      }),
    // SERVING once the default model is loaded and warmed up.
    isHealthy: () => health.isHealthy(),
    // A child that hangs while starting (never SERVING, never exiting) is killed and counts as a failed start.
    policy: { ...DEFAULT_RESTART_POLICY, startTimeoutMs: startTimeoutSeconds * 1000 },
  });
  // The child never outlives this process, whatever ends it (a failed start included).
  process.once('exit', () => {
    supervisor.kill();
    health.close();
  });
  await supervisor.start();
  return { supervisor, url };
}

async function main(): Promise<void> {
  const env = { ...process.env };
  // Validate the configuration before starting anything.
  const early = loadApiConfig(env);
  if (early.ROLE !== 'worker') buildWeb(path.resolve(ROOT, early.WEB_DIST_DIR));
  let inference: ChildSupervisor | undefined;
  if (!env.INFERENCE_URLS && env.ROLE !== 'api') {
    console.log('Starting the inference service with the default model (first start loads the weights)…');
    const started = await startInference(early.INFERENCE_START_TIMEOUT_SECONDS);
    inference = started.supervisor;
    env.INFERENCE_URLS = started.url;
  }
  const config = loadApiConfig(env);
  const api = await startApi(config);
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) {
      // A second signal: do not wait any longer.
      inference?.kill();
      process.exit(code);
    }
    stopping = true;
    await Promise.all([inference?.stop(), api.close()].map((p) => p?.catch(() => undefined)));
    process.exit(code);
  };
  // A dead inference child is restarted (the API stays up); one that keeps failing at start stops everything.
  inference?.onGiveUp((error) => {
    if (stopping) return;
    console.error(error.message);
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
