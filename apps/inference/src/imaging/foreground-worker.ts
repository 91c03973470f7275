import { WorkerChannel, type WorkerReply } from '../engine/worker-channel';
import { largeBuffers } from './buffer-pool';
import {
  cropOf,
  decontaminateCrop,
  decontaminateRows,
  planSplit,
  warmUpDecontamination,
  type AlphaPlane,
  type CoarseLevel,
  type DecontaminatedBox,
  type ForegroundOptions,
  type PixelBox,
  type RowsWindow,
} from './foreground-estimation';

/**
 * Below this many swept band pixels a split is not worth its hand-over (posting the bottom window
 * and its result, a few ms at 5 MP): decontamination costs roughly 0.1 s per million band pixels.
 */
export const SPLIT_MIN_BAND_PIXELS = 100_000;

/** Threads of a split decontamination when the caller does not say (this one and one worker). */
export const DEFAULT_DECONTAMINATION_THREADS = 2;

// Plain JavaScript evaluated in the worker: it loads foreground-estimation (through the TypeScript
// loader the service runs under when that is a .ts file). A split arrives in two messages: the
// window (its band is listed at once, while the main thread builds the coarse levels), then the
// coarse level (the sweeps; the rows go back).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
if (workerData.register) require(workerData.register);
const { prepareRows, finishRows, warmUpDecontamination } = require(workerData.modulePath);
const prepared = new Map();
const errorText = (e) => (e && e.message ? e.message : String(e));
parentPort.on('message', (msg) => {
  if (msg.kind === 'ping') {
    warmUpDecontamination();
    return parentPort.postMessage({ id: msg.id, ok: true });
  }
  if (msg.kind === 'window') {
    try {
      prepared.set(msg.id, { window: msg.window, band: prepareRows(msg.window) });
    } catch (e) {
      prepared.set(msg.id, { error: errorText(e) });
    }
    return;
  }
  const job = prepared.get(msg.id);
  prepared.delete(msg.id);
  try {
    if (!job) throw new Error('no window ' + msg.id);
    if (job.error) throw new Error(job.error);
    // The rows go into the memory sent with the coarse level; it and the window's copies go back to be reused.
    const out = finishRows(job.window, job.band, msg.coarse, new Uint8Array(msg.target));
    const spent = [out.buffer, job.window.rgb.buffer, job.window.alpha.buffer];
    parentPort.postMessage({ id: msg.id, ok: true, out, spent }, spent);
  } catch (e) {
    parentPort.postMessage({ id: msg.id, ok: false, message: errorText(e) });
  }
});
`;

interface Reply extends WorkerReply {
  out?: Uint8Array;
  /** The memory of the rows and of the window's copies, moved back for the buffer pool. */
  spent?: ArrayBuffer[];
}

/**
 * A copy of `src` in memory of its own from the buffer pool (a fresh array's pages cost more to
 * fault in than the copy on a small VM), of the same element type, ready to move to the worker.
 */
function pooledCopy<T extends Uint8Array | Float32Array>(src: T): T {
  const memory = largeBuffers.acquireMemory(src.byteLength);
  new Uint8Array(memory).set(new Uint8Array(src.buffer, src.byteOffset, src.byteLength));
  return (src instanceof Float32Array ? new Float32Array(memory) : new Uint8Array(memory)) as T;
}

/** A persistent worker thread for one window of split decontaminations (WorkerChannel: referenced only while a job is pending). */
class RowsWorker {
  private readonly channel: WorkerChannel<Reply>;

  constructor() {
    const modulePath = require.resolve('./foreground-estimation');
    const register = modulePath.endsWith('.ts') ? require.resolve('@swc-node/register') : undefined;
    this.channel = new WorkerChannel<Reply>(WORKER_SOURCE, { modulePath, register }, 'decontamination worker');
  }

  get dead(): Error | undefined {
    return this.channel.dead;
  }

  /**
   * Sends the window (its rgb and alpha copied once into pooled memory that moves there): the worker
   * lists its band at once. `finish` then sends the coarse level and memory for the rows, and
   * resolves with the window's rows and a `done()` that gives all that memory back to the pool
   * (call it once the rows are read).
   */
  start(window: RowsWindow): { finish(coarse: CoarseLevel): Promise<{ rows: Uint8Array; done(): void }> } {
    const id = this.channel.nextId();
    // Copies made here on purpose (Buffer's slice is a view: moving its memory would detach the caller's image).
    const rgb = pooledCopy(window.rgb);
    const alpha = pooledCopy(window.alpha);
    this.channel.post(id, { kind: 'window', window: { ...window, rgb, alpha } }, [rgb.buffer, alpha.buffer] as ArrayBuffer[]);
    return {
      finish: async (coarse) => {
        const target = largeBuffers.acquireMemory((window.to - window.from) * window.width * 3);
        const { out, spent } = await this.channel.request({ kind: 'sweep', coarse, target }, [target], id);
        if (!out) throw new Error('decontamination worker: no result');
        return { rows: out, done: () => spent?.forEach((memory) => largeBuffers.release(memory)) };
      },
    };
  }

  /** Resolves once the worker has loaded its module and warmed up. */
  async ping(): Promise<void> {
    await this.channel.request({ kind: 'ping' });
  }

  async terminate(): Promise<void> {
    await this.channel.terminate();
  }
}

const shared: (RowsWorker | undefined)[] = [];
let fallbacks = 0;

/** How many split windows this thread had to compute itself because their worker failed (tests, diagnostics). */
export function workerFallbacks(): number {
  return fallbacks;
}

/** The process's i-th decontamination worker, started on first use (and again after it died). */
function rowsWorker(i: number): RowsWorker {
  let worker = shared[i];
  if (!worker || worker.dead) shared[i] = worker = new RowsWorker();
  return worker;
}

/**
 * Starts the decontamination workers (threads − 1) and waits until they are ready (the service does
 * this while its models load): loading the module there takes a few hundred ms under the TypeScript
 * loader, and a fresh thread's first photos would run unoptimised code, so each warms up on a small
 * image; this thread's code is warmed up too.
 */
export async function warmDecontaminationWorker(threads: number = DEFAULT_DECONTAMINATION_THREADS): Promise<void> {
  const ready = Promise.all(Array.from({ length: threads - 1 }, (_, i) => rowsWorker(i).ping()));
  warmUpDecontamination();
  await ready;
}

/** Stops the decontamination workers (tests; the service leaves them unreferenced). */
export async function stopDecontaminationWorker(): Promise<void> {
  const workers = shared.splice(0);
  await Promise.all(workers.map((worker) => worker?.terminate()));
}

/**
 * decontaminateBox on `threads` threads (this one and threads − 1 workers; 1: this thread alone, no
 * split; the service passes INFERENCE_DECONTAMINATION_THREADS): the crop is split into
 * windows of rows (planSplit; why the seams do not show: SPLIT_MARGIN_ROWS). The workers list their
 * window's band while this thread builds the coarse levels, then every thread sweeps its window. The
 * event loop is held for about 1/threads as long. Small bands, dense (small) images and bands over the
 * cap go to decontaminateCrop as they are; if a worker fails, this thread does its window too.
 */
export async function decontaminateBoxParallel(
  rgb: Uint8Array,
  alpha: AlphaPlane,
  width: number,
  height: number,
  box: PixelBox,
  options: Partial<ForegroundOptions> = {},
  minBandPixels = SPLIT_MIN_BAND_PIXELS,
  threads: number = DEFAULT_DECONTAMINATION_THREADS,
): Promise<DecontaminatedBox> {
  const crop = cropOf(rgb, alpha, width, height, box);
  const plan =
    threads >= 2 ? planSplit(crop.rgb, crop.alpha, box.width, box.height, width, height, options, minBandPixels, threads) : undefined;
  if (!plan) return decontaminateCrop(crop.rgb, crop.alpha, box.width, box.height, width, height, options);
  const jobs = plan.windows.slice(1).map((window, i) => {
    try {
      return rowsWorker(i).start(window);
    } catch {
      fallbacks++;
      return undefined;
    }
  });
  const coarse = plan.coarse();
  const fromWorkers = jobs.map((job) =>
    job?.finish(coarse).catch(() => {
      fallbacks++;
      return undefined;
    }),
  );
  const rowBytes = box.width * 3;
  // Not zero-filled: every byte is written by one of the windows. From the pool: the caller may release it when done.
  const out = largeBuffers.acquire(box.height * rowBytes);
  decontaminateRows(plan.windows[0], coarse, out, 0);
  // Each worker's rows, or (no worker, or it failed) this thread computes that window into place.
  for (let i = 1; i < plan.windows.length; i++) {
    const done = await fromWorkers[i - 1];
    if (done) {
      out.set(done.rows, plan.starts[i] * rowBytes);
      done.done();
    } else decontaminateRows(plan.windows[i], coarse, out, plan.starts[i] * rowBytes);
  }
  return { rgb: out, pooled: true };
}
