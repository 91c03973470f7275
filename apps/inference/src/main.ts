// Inference service entry point: `nx run inference:serve`, or as a child process:
// node --initial-old-space-size=128 -r @swc-node/register apps/inference/src/main.ts
// (the V8 flags: INFERENCE_V8_FLAGS in libs/inference-contract/src/inference-process.ts; every launcher also sets
// GLIBC_TUNABLES=glibc.malloc.hugetlb=1:glibc.malloc.arena_max=1 in its environment: INFERENCE_MALLOC_TUNABLES there)
import pino from 'pino';
import { ConfigError } from '@cutout/config';
import { loadInferenceConfig } from './config/inference.config';
import { startInferenceServer } from './grpc/inference.server';

async function main(): Promise<void> {
  const config = loadInferenceConfig();
  const logger = pino({ name: 'inference', level: config.logLevel });
  const server = await startInferenceServer(config, logger);
  logger.info(
    { host: config.host, port: server.port, provider: config.provider, threads: config.threads, defaultModel: config.defaultModelId },
    `inference listening on ${config.host}:${server.port}`,
  );
  server.ready.then(
    () =>
      logger.info(
        {
          models: server.registry
            .list()
            .filter((m) => m.loaded)
            .map((m) => m.id),
        },
        'inference ready (health SERVING)',
      ),
    () => undefined,
  );
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'inference shutting down');
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
