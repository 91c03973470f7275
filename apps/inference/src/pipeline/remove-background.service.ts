import type { RemoveRequest, Result } from '@cutout/inference-contract';
import { RemovalMode, Stage } from '@cutout/inference-contract';
import type { InferenceScheduler } from '../engine/inference-scheduler';
import { AdmissionGate, Semaphore } from '../engine/request-limits';
import { InferenceFailure } from '../errors/inference-failure';
import { largeBuffers } from '../imaging/buffer-pool';
import { assertEncodable, composeAndEncode } from '../imaging/compose-output';
import type { ByteSink } from '../imaging/png-encode';
import { guidedFilterRefine } from '../imaging/guided-filter';
import { modelInputParallel, resizeMaskParallel } from '../imaging/imaging-workers';
import { meanAlpha, outputToAlpha } from '../imaging/mask';
import { decodeModelInput, decodeRgb, probeImage, type ImageLimits, type RgbImage } from '../imaging/preprocess';
import { parseRemoveOptions } from '../imaging/remove-options';
import type { ModelManifest } from '../models/model-manifest';
import type { ModelRegistry } from '../models/model-registry';
import { fullResRefineOptions, HIGH_QUALITY_RECIPE, HighQualityPasses, plannedRuns } from './high-quality';
import { ProgressReporter, systemClock, type ProgressClock, type ProgressListener } from './progress-reporter';
import { runMsPerItem, StageTimeEstimator, type RunSample } from './stage-time-estimator';

export type { ProgressListener } from './progress-reporter';

export interface PipelineLimits extends ImageLimits {
  queueDepth: number;
  /** Pixels of photos decoded at once (INFERENCE_MAX_INFLIGHT_MEGAPIXELS); past it requests wait; default: no bound. */
  maxInflightPixels?: number;
  concurrency: number;
  pngCompression?: number;
  /** Threads of the imaging work around the model (INFERENCE_IMAGING_THREADS; default 2): imaging-workers.ts. */
  imagingThreads?: number;
  /** Milliseconds between progress ticks while the model runs (default 250). */
  progressIntervalMs?: number;
}

/** The service's log: decisions worth a debug line (pino's logger fits). */
export interface ServiceLogger {
  info(obj: object, msg: string): void;
  debug?(obj: object, msg: string): void;
}

const modelInputBytes = (manifest: ModelManifest) => 3 * manifest.input.width * manifest.input.height * Float32Array.BYTES_PER_ELEMENT;

/**
 * The model input's memory from the buffer pool (12.6 MB at 1024²): a new array's pages cost more
 * to fault in than the resize that fills them on a small VM. It moves to the model's worker and
 * comes back with the output in it; released once the output is read.
 */
export const pooledModelInput = (manifest: ModelManifest) => new Float32Array(largeBuffers.acquireMemory(modelInputBytes(manifest)));

const checkAborted = (signal?: AbortSignal) => {
  if (signal?.aborted) throw new InferenceFailure('CANCELED', 'request cancelled');
};

/**
 * One background removal: validate, decode (model input and full image in parallel),
 * run the model through the scheduler, refine, compose, encode. Progress is overall and
 * proportional to expected time: stage ends come from the recent stage times of this
 * model and size (StageTimeEstimator), and ticks are sent while the model runs.
 * Admission is bounded (RESOURCE_EXHAUSTED past the queue depth); decode and encode run
 * under a small semaphore so they overlap the model run of other requests.
 */
export class RemoveBackgroundService {
  readonly admission: AdmissionGate;
  private readonly cpu: Semaphore;
  readonly estimator = new StageTimeEstimator();

  constructor(
    private readonly registry: ModelRegistry,
    private readonly scheduler: InferenceScheduler,
    private readonly limits: PipelineLimits,
    private readonly clock: ProgressClock = systemClock,
    private readonly logger?: ServiceLogger,
  ) {
    this.admission = new AdmissionGate(limits.queueDepth, limits.maxInflightPixels);
    this.cpu = new Semaphore(limits.concurrency);
  }

  /**
   * `onImageBytes`: where a PNG result's bytes go while it is encoded, when the request set
   * accept_chunks (the Result's image is then empty; imageSize says how many bytes were sent).
   * `slotHeldUntil`: the request keeps its admission slot after this settles, until that settles too
   * (the gRPC handler: until what the call wrote has drained to its client).
   */
  async removeBackground(
    request: RemoveRequest,
    onProgress: ProgressListener,
    signal?: AbortSignal,
    onImageBytes?: ByteSink,
    slotHeldUntil?: Promise<unknown>,
  ): Promise<Result> {
    const started = performance.now();
    const options = parseRemoveOptions(request.options);
    const manifest = this.registry.manifestOrThrow(request.modelId);
    const releaseSlot = this.admission.admitOrThrow();
    let releasePixels: (() => void) | undefined;
    const release = () => {
      releasePixels?.();
      releaseSlot();
    };
    try {
      const image = request.image;
      const probe = await probeImage(image, this.limits, options.maxPixels);
      // What it will hold decoded: it waits here, still compressed, while that would pass INFERENCE_MAX_INFLIGHT_MEGAPIXELS.
      releasePixels = await this.admission.reservePixels(probe.outWidth * probe.outHeight, signal);
      // Uncropped, the result has the output size: one no format can hold is refused before any work.
      if (!options.crop) assertEncodable(options.format, probe.outWidth, probe.outHeight);
      const high = options.mode === 'high' ? HIGH_QUALITY_RECIPE : undefined;
      const needRgb = options.type === 'cutout' || options.refine || !!high?.secondPass || !!high?.fullResRefine;
      const modelPromise = this.registry.getOrLoad(manifest.id);
      modelPromise.then((m) => this.estimator.seedInference(m.manifest.id, m.warmupMs)).catch(() => undefined);
      const warm = this.registry.loadedModel(manifest.id);
      if (warm) this.estimator.seedInference(manifest.id, warm.warmupMs);
      const refine = options.refine || !!high?.fullResRefine;
      const shape = { modelId: manifest.id, pixels: probe.outWidth * probe.outHeight, refine, runs: high ? plannedRuns(high) : 1 };
      const progress = new ProgressReporter(this.estimator.plan(shape), onProgress, this.clock, this.limits.progressIntervalMs);
      let input: Float32Array;
      let rgbPromise: Promise<RgbImage | undefined>;
      if (this.limits.resizeKernel === 'asymmetric') {
        // One decode serves both the model input (resized in typed arrays) and the output.
        const rgb = await this.cpu.use(() => decodeRgb(image, probe, this.limits), signal);
        input = await modelInputParallel(rgb, manifest.input, pooledModelInput(manifest), this.limits.imagingThreads);
        rgbPromise = Promise.resolve(rgb);
      } else {
        // The model input is decoded first (shrink-on-load); the full-size image decodes while the model runs.
        input = await this.cpu.use(() => decodeModelInput(image, this.limits, manifest), signal);
        rgbPromise = needRgb ? decodeRgb(image, probe, this.limits) : Promise.resolve(undefined);
        rgbPromise.catch(() => undefined);
      }
      const decodeMs = performance.now() - started;
      checkAborted(signal);
      progress.stageDone(Stage.DECODED);

      const model = await modelPromise;
      // Every model run of this request as the scheduler reported it (the estimator's per-item time).
      const runs: RunSample[] = [];
      // handOver: the array moves to the model's worker uncopied and is detached; only for an input nothing reads after the run.
      const runModel = (modelInput: Float32Array, part = 0, handOver = false) =>
        this.scheduler
          .infer(
            model,
            modelInput,
            signal,
            (batch) => progress.runStarted(this.estimator.expectedRunMs(manifest.id, batch), part, shape.runs),
            handOver,
          )
          .then((outcome) => {
            runs.push(outcome);
            return outcome;
          })
          .finally(() => progress.runEnded());
      // HIGH (pipeline/high-quality.ts): the flipped input and the second pass on the subject, as the recipe says.
      const passes = high && new HighQualityPasses(high, manifest, runModel);
      const inferred = await (passes ? passes.infer(input, rgbPromise) : runModel(input, 0, true));
      const rgb = await rgbPromise;
      checkAborted(signal);
      progress.stageDone(Stage.INFERENCE);

      const { width, height } = { width: probe.outWidth, height: probe.outHeight };
      return await this.cpu.use(async () => {
        const t0 = performance.now();
        let alpha = outputToAlpha(inferred.output, manifest.output.activation);
        // Read: the model input's memory goes back to the pool for the next request's input.
        if (inferred.spentInput) largeBuffers.release(inferred.spentInput);
        const coordinates = this.limits.resizeKernel === 'asymmetric' ? 'asymmetric' : 'centred';
        alpha = await resizeMaskParallel(
          alpha,
          manifest.input.width,
          manifest.input.height,
          width,
          height,
          coordinates,
          this.limits.imagingThreads,
        );
        if (passes) alpha = passes.merge(alpha, width, height);
        if (refine)
          alpha = await guidedFilterRefine(
            (rgb as RgbImage).data,
            alpha,
            width,
            height,
            high?.fullResRefine ? fullResRefineOptions(width, height) : undefined,
          );
        const refineMs = performance.now() - t0;
        checkAborted(signal);
        progress.stageDone(Stage.REFINE);
        const t1 = performance.now();
        const encoded = await composeAndEncode(alpha, width, height, rgb, options, this.limits.pngCompression, {
          debug: (details, message) => this.logger?.debug?.({ modelId: manifest.id, ...details }, message),
          sink: request.acceptChunks ? onImageBytes : undefined,
          imagingThreads: this.limits.imagingThreads,
        });
        const encodeMs = performance.now() - t1;
        checkAborted(signal);
        // Per batch item, from each run's own time and batch (HIGH's flip pair may share one batch or run twice).
        const itemMs = runMsPerItem(runs) ?? inferred.inferenceMs;
        this.estimator.record(shape, { decodeMs, inferenceMs: itemMs, refineMs, encodeMs });
        progress.stageDone(Stage.ENCODED);
        return {
          ...encoded,
          foregroundFraction: meanAlpha(alpha),
          modelId: manifest.id,
          // Said back, so a client can tell a server that ran HIGH from one older than modes (which leaves it unset).
          mode: high ? RemovalMode.HIGH : RemovalMode.STANDARD,
          timings: {
            decodeMs,
            queueMs: inferred.queueMs,
            inferenceMs: inferred.inferenceMs,
            refineMs,
            encodeMs,
            totalMs: performance.now() - started,
          },
        };
      }, signal);
    } finally {
      if (slotHeldUntil) slotHeldUntil.then(release, release);
      else release();
    }
  }
}
