import { InferenceFailure } from '../errors/inference-failure';
import type { LoadedModel } from '../models/model-registry';

export interface InferenceOutcome {
  /** One output plane (H x W) of this request. */
  output: Float32Array;
  /**
   * An input handed over and run alone can come back holding its output (`output` is then a view
   * of this memory); HIGH's passes give back the input their runs copied (HighQualityPasses.infer).
   * The caller may reuse the memory once it has read the output.
   */
  spentInput?: ArrayBuffer;
  queueMs: number;
  inferenceMs: number;
  batchSize: number;
}

interface Pending {
  input: Float32Array;
  handOver: boolean;
  enqueuedAt: number;
  signal?: AbortSignal;
  onAbort?: () => void;
  onRun?: (batchSize: number) => void;
  resolve(outcome: InferenceOutcome): void;
  reject(error: unknown): void;
}

interface ModelQueue {
  model: LoadedModel;
  pending: Pending[];
  running: boolean;
}

/**
 * Runs a model one batch at a time (ONNX Runtime already uses every core inside a run),
 * gathering the requests that queued up meanwhile into one batch when the model's batch
 * dimension allows it. A cancelled request leaves the queue at once.
 */
export class InferenceScheduler {
  private readonly queues = new Map<string, ModelQueue>();
  runs = 0;

  /**
   * Queues one input; `onRun` is called when the run that carries it starts (after any queueing).
   * With `handOver`, the caller gives the input away: when it runs alone it moves to the model's
   * worker without a copy and is detached (the caller must not read it again).
   */
  infer(
    model: LoadedModel,
    input: Float32Array,
    signal?: AbortSignal,
    onRun?: (batchSize: number) => void,
    handOver = false,
  ): Promise<InferenceOutcome> {
    if (signal?.aborted) return Promise.reject(new InferenceFailure('CANCELED', 'request cancelled'));
    let queue = this.queues.get(model.manifest.id);
    if (!queue || queue.model !== model) {
      queue = { model, pending: [], running: false };
      this.queues.set(model.manifest.id, queue);
    }
    const q = queue;
    return new Promise<InferenceOutcome>((resolve, reject) => {
      const item: Pending = { input, handOver, enqueuedAt: performance.now(), signal, onRun, resolve, reject };
      if (signal) {
        item.onAbort = () => {
          const index = q.pending.indexOf(item);
          if (index >= 0) {
            q.pending.splice(index, 1);
            reject(new InferenceFailure('CANCELED', 'request cancelled'));
          }
        };
        signal.addEventListener('abort', item.onAbort, { once: true });
      }
      q.pending.push(item);
      this.drain(q);
    });
  }

  private drain(queue: ModelQueue): void {
    if (queue.running || queue.pending.length === 0) return;
    queue.running = true;
    const batch = queue.pending.splice(0, queue.model.maxBatch);
    for (const item of batch) if (item.onAbort) item.signal?.removeEventListener('abort', item.onAbort);
    this.runBatch(queue.model, batch).finally(() => {
      queue.running = false;
      this.drain(queue);
    });
  }

  private async runBatch(model: LoadedModel, batch: Pending[]): Promise<void> {
    const { input } = model.manifest;
    const plane = input.width * input.height;
    const started = performance.now();
    let data: Float32Array;
    // A batch array is built here, so it can always move to the worker; a single input only when handed over.
    let handOver = true;
    if (batch.length === 1) {
      data = batch[0].input;
      handOver = batch[0].handOver;
    } else {
      data = new Float32Array(batch.length * 3 * plane);
      batch.forEach((item, i) => data.set(item.input, i * 3 * plane));
    }
    try {
      for (const item of batch) item.onRun?.(batch.length);
      const { values, inInput } = await model.session.run(data, [batch.length, 3, input.height, input.width], handOver);
      this.runs++;
      const inferenceMs = performance.now() - started;
      const perItem = values.length / batch.length;
      batch.forEach((item, i) => {
        // The first channel of this item's output: the result itself when it is exactly that, else a copy out of the shared result.
        const whole = batch.length === 1 && perItem === plane;
        item.resolve({
          output: whole ? values : values.slice(i * perItem, i * perItem + plane),
          spentInput: whole && inInput && batch[0].handOver ? (values.buffer as ArrayBuffer) : undefined,
          queueMs: started - item.enqueuedAt,
          inferenceMs,
          batchSize: batch.length,
        });
      });
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      // A worker that died (out of memory, a fatal error) is no fault of the request: the registry loads the
      // model again, and a retry (here or on another server) may succeed. A run the model itself refused is.
      const failure = model.session.dead
        ? new InferenceFailure('UNAVAILABLE', `model ${model.manifest.id} stopped (${why}); it is being loaded again, try again`)
        : new InferenceFailure('INTERNAL_ERROR', `model ${model.manifest.id} failed: ${why}`);
      for (const item of batch) item.reject(failure);
    }
  }
}
