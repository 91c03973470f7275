import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { envInt, envList, parseEnv } from '@cutout/config';

const MB = 1024 * 1024;

/** Environment of the inference service (see apps/inference/README.md). */
export const inferenceEnvSchema = z.object({
  INFERENCE_HOST: z.string().default('127.0.0.1'),
  INFERENCE_PORT: envInt(0, 65535).default(50051),
  /** Models to load and warm up at start; the first is also the default model unless INFERENCE_DEFAULT_MODEL says otherwise. */
  INFERENCE_PRELOAD: envList().default(['medium']),
  INFERENCE_DEFAULT_MODEL: z.string().default('medium'),
  INFERENCE_PROVIDER: z.enum(['cpu', 'cuda']).default('cpu'),
  /** Intra-op threads of each ONNX Runtime session (default: the machine's cores). */
  INFERENCE_THREADS: envInt(1, 1024).optional(),
  /** Requests admitted at once (decoding, waiting, running, encoding); more get RESOURCE_EXHAUSTED. */
  INFERENCE_QUEUE_DEPTH: envInt(1, 10_000).default(16),
  /**
   * Megapixels of photos held decoded at once (each counted at its output size once its header is
   * read): a request past it waits, still compressed, until enough are given back (first come,
   * first served); one is always let in when none is held.
   */
  INFERENCE_MAX_INFLIGHT_MEGAPIXELS: envInt(1, 100_000).default(200),
  /** Requests decoded/encoded at the same time (the model itself runs one batch at a time). */
  INFERENCE_CONCURRENCY: envInt(1, 256).default(1),
  /** Threads of the per-pixel work around the model (model input, mask upscale, decontamination): this one and the rest workers; 1: no workers. Default: one per core, 2 to 4. */
  INFERENCE_IMAGING_THREADS: envInt(1, 64).optional(),
  /** libvips threads per sharp operation (decode/encode run beside ONNX Runtime, which already uses every core). */
  INFERENCE_SHARP_THREADS: envInt(1, 1024).default(1),
  /** Largest batch per session run, capped by each model's own maxBatch. */
  INFERENCE_MAX_BATCH: envInt(1, 64).default(4),
  INFERENCE_MAX_PIXELS: envInt(1, 1_000_000_000).default(50_000_000),
  INFERENCE_MAX_BYTES: envInt(1, 2_000 * MB).default(50 * MB),
  /** How photos are resized to the model's input: 'asymmetric' bilinear in typed arrays (one decode), or a sharp kernel. */
  INFERENCE_RESIZE_KERNEL: z.enum(['asymmetric', 'nearest', 'linear', 'cubic', 'mitchell', 'lanczos2', 'lanczos3']).default('asymmetric'),
  /** zlib level of PNG output (0-9; Up-filtered rows, imaging/png-encode.ts): 3 costs ~50 % more time than 1 for ~4 % smaller files. */
  INFERENCE_PNG_COMPRESSION: envInt(0, 9).default(1),
  /** Milliseconds between INFERENCE progress ticks sent while the model runs. */
  INFERENCE_PROGRESS_INTERVAL_MS: envInt(10, 60_000).default(250),
  /**
   * Milliseconds a call's written events may wait for its client to read (no write taken by the
   * transport meanwhile) before the call is reset, RESOURCE_EXHAUSTED; the timer runs only while a
   * write waits (grpc/call-outbox.ts). A whole result is one write: the limit covers its transfer.
   */
  INFERENCE_STALL_TIMEOUT_MS: envInt(100, 3_600_000).default(30_000),
  MODELS_DIR: z.string().default(join(__dirname, '..', '..', '..', '..', 'models')),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/**
 * Imaging threads by default (imaging/imaging-workers.ts): one per core, at least 2 (this thread and
 * one worker, as on the 2-core machines this was tuned on) and at most 4. On a GPU host the model
 * leaves the cores idle and this work is nearly all of the latency (H200 with 16 cores, 2026-11-30:
 * latency − raw model 139 ms without decontamination, 201–301 ms with it on 2 threads; with the
 * resampling bands 215–225 ms on 2 and on 4 threads alike). More than 4 bought nothing there: every
 * decontamination seam adds 2 × SPLIT_MARGIN_ROWS rows of duplicated work, and concurrent requests
 * share the workers.
 */
export function defaultImagingThreads(cores: number): number {
  return Math.max(2, Math.min(4, Math.floor(cores)));
}

export interface InferenceConfig {
  host: string;
  port: number;
  preload: string[];
  defaultModelId: string;
  provider: 'cpu' | 'cuda';
  threads: number;
  queueDepth: number;
  /** INFERENCE_MAX_INFLIGHT_MEGAPIXELS in pixels. */
  maxInflightPixels: number;
  concurrency: number;
  sharpThreads: number;
  imagingThreads: number;
  maxBatch: number;
  maxPixels: number;
  maxBytes: number;
  resizeKernel: 'asymmetric' | 'nearest' | 'linear' | 'cubic' | 'mitchell' | 'lanczos2' | 'lanczos3';
  pngCompression: number;
  progressIntervalMs: number;
  stallTimeoutMs: number;
  modelsDir: string;
  logLevel: string;
}

export function loadInferenceConfig(env: Record<string, string | undefined> = process.env): Readonly<InferenceConfig> {
  const e = parseEnv(inferenceEnvSchema, env);
  const preload = e.INFERENCE_PRELOAD.filter((id) => id !== 'none');
  return Object.freeze({
    host: e.INFERENCE_HOST,
    port: e.INFERENCE_PORT,
    preload,
    defaultModelId: env['INFERENCE_DEFAULT_MODEL'] ? e.INFERENCE_DEFAULT_MODEL : (preload[0] ?? e.INFERENCE_DEFAULT_MODEL),
    provider: e.INFERENCE_PROVIDER,
    threads: e.INFERENCE_THREADS ?? availableParallelism(),
    queueDepth: e.INFERENCE_QUEUE_DEPTH,
    maxInflightPixels: e.INFERENCE_MAX_INFLIGHT_MEGAPIXELS * 1_000_000,
    concurrency: e.INFERENCE_CONCURRENCY,
    sharpThreads: e.INFERENCE_SHARP_THREADS,
    imagingThreads: e.INFERENCE_IMAGING_THREADS ?? defaultImagingThreads(availableParallelism()),
    maxBatch: e.INFERENCE_MAX_BATCH,
    maxPixels: e.INFERENCE_MAX_PIXELS,
    maxBytes: e.INFERENCE_MAX_BYTES,
    resizeKernel: e.INFERENCE_RESIZE_KERNEL,
    pngCompression: e.INFERENCE_PNG_COMPRESSION,
    progressIntervalMs: e.INFERENCE_PROGRESS_INTERVAL_MS,
    stallTimeoutMs: e.INFERENCE_STALL_TIMEOUT_MS,
    modelsDir: e.MODELS_DIR,
    logLevel: e.LOG_LEVEL,
  });
}
