import { setMaxListeners } from 'node:events';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import sharp from 'sharp';
import { HealthImplementation } from 'grpc-health-check';
import { InferenceService } from '@cutout/inference-contract';
import type { InferenceConfig } from '../config/inference.config';
import { InferenceScheduler } from '../engine/inference-scheduler';
import { stopImagingWorkers, warmImagingWorkers } from '../imaging/imaging-workers';
import { ModelRegistry } from '../models/model-registry';
import { RemoveBackgroundService } from '../pipeline/remove-background.service';
import { createInferenceHandlers, type HandlerLogger } from './inference.handlers';
import { warmUpCall } from './warm-up-call';

export const INFERENCE_SERVICE_NAME = 'cutout.inference.v1.Inference';

/** How long a stopping server lets its calls finish before it stops them (each answered UNAVAILABLE). */
export const STOP_GRACE_MS = 10_000;
/** How long stopped calls get to send their UNAVAILABLE status before the connections are closed. */
const STOP_FLUSH_MS = 1_000;
/** The wait before the first retry of a failed reload, and the most it grows to (doubling each time). */
const RELOAD_FIRST_WAIT_MS = 2_000;
const RELOAD_MAX_WAIT_MS = 60_000;

export interface RunningInferenceServer {
  port: number;
  registry: ModelRegistry;
  service: RemoveBackgroundService;
  scheduler: InferenceScheduler;
  /** Resolves when the default and preloaded models are loaded and warmed up (health turns SERVING). */
  ready: Promise<void>;
  /**
   * Health NOT_SERVING, no new calls; calls still running after `graceMs` are stopped and answered
   * UNAVAILABLE (transient: their clients try again), then the server closes.
   */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts the gRPC server: the Inference service plus grpc.health.v1, which answers
 * NOT_SERVING until the default model (and INFERENCE_PRELOAD) is loaded and warmed up, and again
 * while one of them whose worker died is loaded again (at once, and every 2 s while that fails).
 */
export async function startInferenceServer(config: InferenceConfig, logger: HandlerLogger): Promise<RunningInferenceServer> {
  sharp.concurrency(config.sharpThreads);
  // No operation cache: every request decodes different bytes, and cached pixels only grow the RSS.
  sharp.cache(false);
  const registry = new ModelRegistry(
    config.modelsDir,
    config.defaultModelId,
    { provider: config.provider, threads: config.threads, maxBatch: config.maxBatch },
    logger,
  );
  const scheduler = new InferenceScheduler();
  const service = new RemoveBackgroundService(registry, scheduler, config, undefined, logger);
  const health = new HealthImplementation({ '': 'NOT_SERVING', [INFERENCE_SERVICE_NAME]: 'NOT_SERVING' });
  const server = new Server({
    // Requests carry whole images: allow the configured byte limit plus room for the envelope.
    'grpc.max_receive_message_length': config.maxBytes + 1024 * 1024,
    'grpc.max_send_message_length': -1,
  });
  const stopCalls = new AbortController();
  // Every call in flight listens for the stop (up to INFERENCE_QUEUE_DEPTH of them): not a leak, so no warning past 10.
  setMaxListeners(0, stopCalls.signal);
  server.addService(
    InferenceService,
    createInferenceHandlers(service, registry, logger, { stallTimeoutMs: config.stallTimeoutMs, stopping: stopCalls.signal }),
  );
  health.addToServer(server);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${config.host}:${config.port}`, ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  const toLoad = [...new Set([config.defaultModelId, ...config.preload])];
  let started = false;
  let stopping = false;
  const setHealth = (state: 'SERVING' | 'NOT_SERVING') => {
    health.setStatus('', state);
    health.setStatus(INFERENCE_SERVICE_NAME, state);
  };
  // SERVING once started, while every model it serves from the start is loaded (one whose worker died is loaded again).
  const updateHealth = () => setHealth(started && !stopping && toLoad.every((id) => registry.isLoaded(id)) ? 'SERVING' : 'NOT_SERVING');
  // Tried again 2 s after a failed reload, then twice as long each time up to a minute (a model that cannot load,
  // corrupt weights say, is not reloaded, and logged, every 2 s for ever).
  const reload = (id: string, waitMs = RELOAD_FIRST_WAIT_MS): void => {
    if (stopping) return;
    registry.getOrLoad(id).then(updateHealth, (error: unknown) => {
      if (stopping) return;
      logger.error(
        { model: id, err: error instanceof Error ? error.message : String(error), retryInMs: waitMs },
        'model reload failed; trying again',
      );
      setTimeout(() => reload(id, Math.min(waitMs * 2, RELOAD_MAX_WAIT_MS)), waitMs).unref();
    });
  };
  registry.onModelLost((id) => {
    if (!toLoad.includes(id)) return; // loaded again by its next request
    updateHealth();
    reload(id);
  });
  const ready = (async () => {
    // The per-pixel work around the model runs on INFERENCE_IMAGING_THREADS threads (imaging-workers.ts): the workers start beside the models.
    const imagingWorkers = warmImagingWorkers(config.imagingThreads).catch((error: unknown) =>
      logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'imaging workers failed to start; their bands run on the main thread',
      ),
    );
    for (const id of toLoad) await registry.getOrLoad(id);
    await imagingWorkers;
    // One synthetic cut-out through the request path, so the first real ones do not pay for cold code (warm-up-call.ts).
    await warmUpCall(config.host, port).then(
      (ms) => logger.info({ ms: Math.round(ms), model: config.defaultModelId }, 'request path warmed up (one synthetic cut-out)'),
      (error: unknown) =>
        logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'warm-up cut-out failed; serving anyway'),
    );
    started = true;
    updateHealth();
  })();
  ready.catch((error: unknown) =>
    logger.error({ err: error instanceof Error ? error.message : String(error) }, 'model preload failed; health stays NOT_SERVING'),
  );
  return {
    port,
    registry,
    service,
    scheduler,
    ready,
    async stop(graceMs = STOP_GRACE_MS) {
      stopping = true;
      setHealth('NOT_SERVING');
      await new Promise<void>((resolve) => {
        let force: NodeJS.Timeout | undefined;
        const grace = setTimeout(() => {
          // Forcing alone would end them as a bare CANCELLED, which a client reads as the caller's own cancel.
          logger.warn({ graceMs }, 'calls still running after the grace; stopping them (UNAVAILABLE)');
          stopCalls.abort();
          force = setTimeout(() => {
            server.forceShutdown();
            resolve();
          }, STOP_FLUSH_MS);
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(grace);
          clearTimeout(force);
          resolve();
        });
      });
      await ready.catch(() => undefined);
      await registry.releaseAll();
      await stopImagingWorkers();
    },
  };
}
