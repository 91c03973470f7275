/**
 * The imaging work around the model, spread over this thread and persistent worker threads (the
 * service's INFERENCE_IMAGING_THREADS: this one and threads − 1 workers), each taking a band of rows:
 * colour decontamination (decontaminateBoxParallel), the model input's resampling
 * (modelInputParallel) and the mask upscale (resizeMaskParallel). Every band computes exactly what
 * the single-threaded function computes for its rows; if a worker fails, this thread does its band.
 */

import { WorkerChannel, type WorkerReply } from '../engine/worker-channel';
import { largeBuffers } from './buffer-pool';
import {
  decontaminateRows,
  finishRows,
  planSplit,
  prepareRows,
  warmUpDecontamination,
  type RowsWindow,
  type SplitPlan,
} from './decontamination-split';
import type { WindowBand } from './foreground-band';
import {
  cropOf,
  decontaminateCrop,
  type AlphaPlane,
  type CoarseLevel,
  type DecontaminatedBox,
  type ForegroundOptions,
  type PixelBox,
} from './foreground-estimation';
import { resizeMaskRows, type MaskCoordinates } from './mask';
import { SplitCostMeter, type SplitCosts, type SplitTimings } from './split-costs';
import { planarRowsBilinear, sourceRowsOf, type ModelInputShape, type RgbPixels } from './resample';

/**
 * A split needs this many swept band pixels. Even a nearly hard-edged mask is worth splitting: the
 * guard's distance passes over the whole crop (listing the band) run on a worker beside the coarse
 * levels, and those two are most of such a crop's cost (2 MP speed photos with 8–30 k band pixels:
 * 51–58 → 34–39 ms, 2026-12-01).
 */
export const SPLIT_MIN_BAND_PIXELS = 1;

/** Threads when the caller does not say (this one and one worker). */
export const DEFAULT_IMAGING_THREADS = 2;

/** Below this many output pixels a resampling runs on this thread alone (a band's hand-over costs ~0.2-0.5 ms). */
export const PARALLEL_MIN_PIXELS = 500_000;

// Plain JavaScript evaluated in the worker: it loads decontamination-split, mask and resample (through
// the TypeScript loader the service runs under when they are .ts files). A decontamination window
// arrives in two messages: the window (its band is listed at once, while the main thread builds the
// coarse levels), then the coarse level (the sweeps; the rows go back). The main thread's own window
// comes as one 'list' message before that: its band is listed and sent back. A window whose coarse
// level never comes (the main thread failed first) is dropped ('drop': its copies go back). A resampling
// band is one message (its input and target memory go back).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
if (workerData.register) require(workerData.register);
const { prepareRows, finishRows, warmUpDecontamination } = require(workerData.modulePath);
const { resizeMaskRows } = require(workerData.maskPath);
const { planarRowsBilinear } = require(workerData.resamplePath);
const prepared = new Map();
const errorText = (e) => (e && e.message ? e.message : String(e));
// A band of rows into the memory sent with the job; that memory and the input's go back to be reused.
const band = (msg, compute) => {
  try {
    compute();
    const spent = [msg.target, msg.source];
    parentPort.postMessage({ id: msg.id, ok: true, spent }, spent);
  } catch (e) {
    parentPort.postMessage({ id: msg.id, ok: false, message: errorText(e) });
  }
};
parentPort.on('message', (msg) => {
  if (msg.kind === 'mask')
    return band(msg, () => resizeMaskRows(new Uint8Array(msg.source), msg.width, msg.height, msg.toWidth, msg.toHeight,
      msg.coordinates, msg.y0, msg.y1, new Uint8Array(msg.target)));
  if (msg.kind === 'input')
    return band(msg, () => planarRowsBilinear({ data: new Uint8Array(msg.source), width: msg.width, height: msg.rows },
      msg.sourceHeight, msg.firstRow, msg.input, msg.y0, msg.y1, new Float32Array(msg.target)));
  if (msg.kind === 'ping') {
    warmUpDecontamination();
    return parentPort.postMessage({ id: msg.id, ok: true });
  }
  if (msg.kind === 'list') {
    // Another thread's window: its band goes back (moved), with the memory of the alpha copy it came in.
    try {
      const started = performance.now();
      const listed = prepareRows(msg.window);
      const listMs = performance.now() - started;
      const moved = new Set([listed.band.buffer, listed.faint && listed.faint.buffer, listed.guard && listed.guard.dist.buffer]);
      moved.delete(undefined);
      const spent = [msg.window.alpha.buffer];
      parentPort.postMessage({ id: msg.id, ok: true, listed, listMs, spent }, [...moved, ...spent]);
    } catch (e) {
      parentPort.postMessage({ id: msg.id, ok: false, message: errorText(e) });
    }
    return;
  }
  if (msg.kind === 'drop') {
    // The main thread gave up on a window before sending its coarse level: forget it, its copies go back.
    const job = prepared.get(msg.id);
    prepared.delete(msg.id);
    const spent = job && job.window ? [job.window.rgb.buffer, job.window.alpha.buffer] : [];
    return parentPort.postMessage({ id: msg.id, ok: true, spent }, spent);
  }
  if (msg.kind === 'window') {
    try {
      const started = performance.now();
      const band = prepareRows(msg.window);
      prepared.set(msg.id, { window: msg.window, band, listMs: performance.now() - started });
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
    const started = performance.now();
    const out = finishRows(job.window, job.band, msg.coarse, new Uint8Array(msg.target));
    const sweepMs = performance.now() - started;
    const spent = [out.buffer, job.window.rgb.buffer, job.window.alpha.buffer];
    const timing = { listMs: job.listMs, sweepMs, bandPixels: job.band.band.length };
    parentPort.postMessage({ id: msg.id, ok: true, out, spent, ...timing }, spent);
  } catch (e) {
    parentPort.postMessage({ id: msg.id, ok: false, message: errorText(e) });
  }
});
`;

interface Reply extends WorkerReply {
  out?: Uint8Array;
  /** The band of a window listed for another thread ('list'). */
  listed?: WindowBand;
  /** How long the worker took to list a window's band, and to sweep it ('sweep': with its swept band pixels). */
  listMs?: number;
  sweepMs?: number;
  bandPixels?: number;
  /** The memory of the rows and of the window's copies (or the band's target and input), moved back for the buffer pool. */
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

/** A window's rows as a worker swept them, with its timings (SplitCostMeter); done() gives the memory back to the pool. */
interface SweptWindow {
  rows: Uint8Array;
  listMs: number;
  sweepMs: number;
  bandPixels: number;
  done(): void;
}

/** A persistent worker thread for one band of the imaging work (WorkerChannel: referenced only while a job is pending). */
class RowsWorker {
  private readonly channel: WorkerChannel<Reply>;

  constructor() {
    const modulePath = require.resolve('./decontamination-split');
    const maskPath = require.resolve('./mask');
    const resamplePath = require.resolve('./resample');
    const register = modulePath.endsWith('.ts') ? require.resolve('@swc-node/register') : undefined;
    this.channel = new WorkerChannel<Reply>(WORKER_SOURCE, { modulePath, maskPath, resamplePath, register }, 'imaging worker');
  }

  /**
   * A band of a resampling: `source` (pooled memory, moved there) in, the band's rows written into
   * `target` (pooled memory, moved there and back). Resolves with the target to read and a `done()`
   * that gives both back to the pool.
   */
  async band(job: Record<string, unknown>, source: ArrayBuffer, target: ArrayBuffer): Promise<{ target: ArrayBuffer; done(): void }> {
    const { spent } = await this.channel.request({ ...job, source, target }, [source, target]);
    if (!spent || spent.length !== 2) throw new Error('imaging worker: no band');
    return { target: spent[0], done: () => spent.forEach((memory) => largeBuffers.release(memory)) };
  }

  get dead(): Error | undefined {
    return this.channel.dead;
  }

  /**
   * Sends the window (its rgb and alpha copied once into pooled memory that moves there): the worker
   * lists its band at once. `finish` then sends the coarse level and memory for the rows, and
   * resolves with the window's rows and a `done()` that gives all that memory back to the pool
   * (call it once the rows are read); or `drop` (instead of finish) makes the worker forget the window
   * and gives its copies back.
   */
  start(window: RowsWindow): { finish(coarse: CoarseLevel): Promise<SweptWindow>; drop(): Promise<void> } {
    const id = this.channel.nextId();
    // Copies made here on purpose (Buffer's slice is a view: moving its memory would detach the caller's image).
    const rgb = pooledCopy(window.rgb);
    const alpha = pooledCopy(window.alpha);
    this.channel.post(id, { kind: 'window', window: { ...window, rgb, alpha } }, [rgb.buffer, alpha.buffer] as ArrayBuffer[]);
    return {
      finish: async (coarse) => {
        const target = largeBuffers.acquireMemory((window.to - window.from) * window.width * 3);
        const { out, spent, listMs, sweepMs, bandPixels } = await this.channel.request({ kind: 'sweep', coarse, target }, [target], id);
        if (!out) throw new Error('decontamination worker: no result');
        const timing = { listMs: listMs ?? NaN, sweepMs: sweepMs ?? NaN, bandPixels: bandPixels ?? 0 };
        return { rows: out, ...timing, done: () => spent?.forEach((memory) => largeBuffers.release(memory)) };
      },
      drop: async () => {
        const { spent } = await this.channel.request({ kind: 'drop' }, [], id).catch(() => ({ spent: undefined }));
        spent?.forEach((memory) => largeBuffers.release(memory));
      },
    };
  }

  /**
   * Lists another thread's window's band there (prepareRows) from a copy of its alpha in pooled memory,
   * which comes back to the pool with the band (moved here).
   */
  async list(window: RowsWindow): Promise<{ band: WindowBand; ms: number }> {
    const alpha = pooledCopy(window.alpha);
    // Only what listing reads: the rgb is a view of the caller's image (posting it would copy all of it).
    const { width, rows, options, span } = window;
    const { listed, listMs, spent } = await this.channel.request({ kind: 'list', window: { alpha, width, rows, options, span } }, [
      alpha.buffer as ArrayBuffer,
    ]);
    spent?.forEach((memory) => largeBuffers.release(memory));
    if (!listed) throw new Error('decontamination worker: no band');
    return { band: listed, ms: listMs ?? NaN };
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
/** The split's costs as this process measures them (split-costs.ts). */
const meter = new SplitCostMeter();

/** The costs the next split is planned with (diagnostics, tests). */
export function measuredSplitCosts(): Readonly<SplitCosts> {
  return meter.costs;
}

/** How many windows and bands this thread had to compute itself because their worker failed (tests, diagnostics). */
export function workerFallbacks(): number {
  return fallbacks;
}

/** The process's i-th imaging worker, started on first use (and again after it died). */
function rowsWorker(i: number): RowsWorker {
  let worker = shared[i];
  if (!worker || worker.dead) shared[i] = worker = new RowsWorker();
  return worker;
}

/**
 * Starts the imaging workers (threads − 1) and waits until they are ready (the service does
 * this while its models load): loading the module there takes a few hundred ms under the TypeScript
 * loader, and a fresh thread's first photos would run unoptimised code, so each warms up on a small
 * image; this thread's code is warmed up too.
 */
export async function warmImagingWorkers(threads: number = DEFAULT_IMAGING_THREADS): Promise<void> {
  const ready = Promise.all(Array.from({ length: threads - 1 }, (_, i) => rowsWorker(i).ping()));
  warmUpDecontamination();
  await ready;
}

/** Stops the imaging workers (tests; the service leaves them unreferenced). */
export async function stopImagingWorkers(): Promise<void> {
  const workers = shared.splice(0);
  await Promise.all(workers.map((worker) => worker?.terminate()));
}

/**
 * decontaminateBox on `threads` threads (this one and threads − 1 workers; 1: this thread alone, no
 * split; the service passes INFERENCE_IMAGING_THREADS): the crop is split into
 * windows of rows (planSplit; why the seams do not show: SPLIT_MARGIN_ROWS). While this thread builds
 * the coarse levels (one thread's work, ~25 ms at 2 MP here), every worker lists its window's band,
 * the first one this thread's window's before its own when the plan says that ends sooner (else this
 * thread lists it after the coarse levels); then every thread sweeps its window (the seams balance
 * that schedule: split-costs.ts splitRows). The event loop is held for the coarse levels and this
 * thread's share of the sweeps. Dense (small) images, crops without
 * `minBandPixels` swept pixels and bands over the cap go to decontaminateCrop as they are; if a worker
 * fails, this thread does its part too. The plan's `costs` are what this process has measured
 * (measuredSplitCosts), which every split updates.
 */
export async function decontaminateBoxParallel(
  rgb: Uint8Array,
  alpha: AlphaPlane,
  width: number,
  height: number,
  box: PixelBox,
  options: Partial<ForegroundOptions> = {},
  minBandPixels = SPLIT_MIN_BAND_PIXELS,
  threads: number = DEFAULT_IMAGING_THREADS,
  costs: Readonly<SplitCosts> = meter.costs,
): Promise<DecontaminatedBox> {
  const crop = cropOf(rgb, alpha, width, height, box);
  const plan =
    threads >= 2
      ? planSplit(crop.rgb, crop.alpha, box.width, box.height, width, height, options, minBandPixels, threads, costs)
      : undefined;
  if (!plan) return decontaminateCrop(crop.rgb, crop.alpha, box.width, box.height, width, height, options);
  return runSplit(plan, box);
}

/**
 * Runs a plan of decontaminateBoxParallel on this thread and the workers, into a result of the
 * box's size. If this thread fails (building the coarse levels or sweeping its window), every worker's
 * window is dropped or its rows given back to the pool before the error goes on: nothing stays held.
 */
export async function runSplit(plan: SplitPlan, box: Pick<PixelBox, 'width' | 'height'>): Promise<DecontaminatedBox> {
  const timings: SplitTimings = { listings: [], sweeps: [] };
  const ownRows = (w: RowsWindow) => (w.to - w.from) * w.width;
  // Posted first: the first worker lists this thread's window before its own (when the plan says it is sooner).
  let listing: Promise<{ band: WindowBand; ms: number } | undefined> = Promise.resolve(undefined);
  if (plan.listFirstOnWorker)
    try {
      listing = rowsWorker(0)
        .list(plan.windows[0])
        .catch(() => undefined);
    } catch {
      // This thread lists it.
    }
  const jobs = plan.windows.slice(1).map((window, i) => {
    try {
      return rowsWorker(i).start(window);
    } catch {
      fallbacks++;
      return undefined;
    }
  });
  const coarseStarted = performance.now();
  let coarse: CoarseLevel;
  try {
    coarse = plan.coarse();
  } catch (error) {
    await Promise.all([listing, ...jobs.map((job) => job?.drop())]);
    throw error;
  }
  timings.coarse = { ms: performance.now() - coarseStarted, estimateNs: plan.coarseEstimateNs };
  const fromWorkers = jobs.map((job) =>
    job?.finish(coarse).catch(() => {
      fallbacks++;
      return undefined;
    }),
  );
  const rowBytes = box.width * 3;
  // Not zero-filled: every byte is written by one of the windows. From the pool: the caller may release it when done.
  const out = largeBuffers.acquire(box.height * rowBytes);
  const first = plan.windows[0];
  try {
    const listed = (await listing) ?? listHere(first, plan.listFirstOnWorker);
    timings.listings.push({ ms: listed.ms, pixels: first.rows * first.width });
    const sweepStarted = performance.now();
    finishRows(first, listed.band, coarse, out, 0);
    timings.sweeps.push({ ms: performance.now() - sweepStarted, bandPixels: listed.band.band.length, outPixels: ownRows(first) });
  } catch (error) {
    for (const done of await Promise.all(fromWorkers)) done?.done();
    largeBuffers.release(out);
    throw error;
  }
  // Each worker's rows, or (no worker, or it failed) this thread computes that window into place.
  for (let i = 1; i < plan.windows.length; i++) {
    const window = plan.windows[i];
    const done = await fromWorkers[i - 1];
    if (done) {
      out.set(done.rows, plan.starts[i] * rowBytes);
      done.done();
      timings.listings.push({ ms: done.listMs, pixels: window.rows * window.width });
      timings.sweeps.push({ ms: done.sweepMs, bandPixels: done.bandPixels, outPixels: ownRows(window) });
    } else decontaminateRows(window, coarse, out, plan.starts[i] * rowBytes);
  }
  meter.observe(timings);
  return { rgb: out, pooled: true };
}

/** This thread lists its own window's band (its worker was not asked, or failed: `fallback`). */
function listHere(window: RowsWindow, fallback: boolean): { band: WindowBand; ms: number } {
  if (fallback) fallbacks++;
  const started = performance.now();
  const band = prepareRows(window);
  return { band, ms: performance.now() - started };
}

/** The first row of each of `parts` equal bands of `rows` rows. */
function equalBands(rows: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.round((i * rows) / parts));
}

/**
 * Pool memory for a band, at least `bytes` long: rounded up to whole MiB, so the bands of photos of
 * about the same size share memory (the pool reuses exact sizes only; fresh memory costs its page
 * faults, ~14 µs per 4 KiB on the 2-core VM). Bands read and write only their own length of it.
 */
function bandMemory(bytes: number): ArrayBuffer {
  return largeBuffers.acquireMemory(Math.ceil(bytes / BAND_MEMORY_STEP) * BAND_MEMORY_STEP);
}
const BAND_MEMORY_STEP = 1 << 20;

/** Band memory holding a copy of `bytes`, to move to a worker. */
function pooledBytes(bytes: Uint8Array): ArrayBuffer {
  const memory = bandMemory(bytes.byteLength);
  new Uint8Array(memory).set(bytes);
  return memory;
}

/**
 * Runs band 0 on this thread (`here`) and bands 1.. on the workers (`remote`, each resolving with what
 * `place` copies into the result); a band whose worker fails is computed here too.
 */
async function inBands<T>(
  starts: number[],
  end: number,
  here: (y0: number, y1: number) => void,
  remote: (worker: RowsWorker, y0: number, y1: number) => Promise<T>,
  place: (band: T, y0: number, y1: number) => void,
): Promise<void> {
  const bounds = starts.map((y0, i) => [y0, i + 1 < starts.length ? starts[i + 1] : end] as const);
  const jobs = bounds.slice(1).map(([y0, y1], i) => {
    try {
      return remote(rowsWorker(i), y0, y1).catch(() => undefined);
    } catch {
      return Promise.resolve(undefined);
    }
  });
  here(bounds[0][0], bounds[0][1]);
  for (let i = 1; i < bounds.length; i++) {
    const [y0, y1] = bounds[i];
    const band = await jobs[i - 1];
    if (band === undefined) {
      fallbacks++;
      here(y0, y1);
    } else place(band, y0, y1);
  }
}

/**
 * planarFromRgbBilinear on `threads` threads: each worker gets a copy of the source rows its band of
 * the model input reads and writes that band's three planes, copied here into `target`. The same
 * floats as the single-threaded resize.
 */
export async function modelInputParallel(
  rgb: RgbPixels,
  input: ModelInputShape,
  target: Float32Array = new Float32Array(3 * input.width * input.height),
  threads: number = DEFAULT_IMAGING_THREADS,
): Promise<Float32Array> {
  const { width: W, height: H } = input;
  const parts = Math.min(threads, H);
  const whole = (y0: number, y1: number) => planarRowsBilinear(rgb, rgb.height, 0, input, y0, y1, target, W * H, 0);
  if (parts < 2 || W * H < PARALLEL_MIN_PIXELS) {
    whole(0, H);
    return target;
  }
  const rowBytes = rgb.width * 3;
  await inBands(
    equalBands(H, parts),
    H,
    whole,
    (worker, y0, y1) => {
      const { first, end } = sourceRowsOf(rgb.height, input, y0, y1);
      const source = pooledBytes(rgb.data.subarray(first * rowBytes, end * rowBytes));
      const job = { kind: 'input', width: rgb.width, rows: end - first, sourceHeight: rgb.height, firstRow: first, input, y0, y1 };
      return worker.band(job, source, bandMemory(3 * W * (y1 - y0) * 4));
    },
    (band, y0, y1) => {
      const plane = W * (y1 - y0);
      const rows = new Float32Array(band.target, 0, 3 * plane);
      for (let c = 0; c < 3; c++) target.set(rows.subarray(c * plane, (c + 1) * plane), c * W * H + y0 * W);
      band.done();
    },
  );
  return target;
}

/**
 * resizeMaskRows over the whole output on `threads` threads (each worker gets a copy of the small
 * mask and writes its band of output rows, copied here). The same bytes as resizeMask /
 * resizeMaskAsymmetric; the mask itself when the size does not change.
 */
export async function resizeMaskParallel(
  alpha: Uint8Array,
  width: number,
  height: number,
  toWidth: number,
  toHeight: number,
  coordinates: MaskCoordinates,
  threads: number = DEFAULT_IMAGING_THREADS,
): Promise<Uint8Array> {
  if (width === toWidth && height === toHeight) return alpha;
  const out = new Uint8Array(toWidth * toHeight);
  const rows = (y0: number, y1: number) =>
    resizeMaskRows(alpha, width, height, toWidth, toHeight, coordinates, y0, y1, out.subarray(y0 * toWidth, y1 * toWidth));
  const parts = Math.min(threads, toHeight);
  if (parts < 2 || toWidth * toHeight < PARALLEL_MIN_PIXELS) {
    rows(0, toHeight);
    return out;
  }
  await inBands(
    equalBands(toHeight, parts),
    toHeight,
    rows,
    (worker, y0, y1) => {
      const job = { kind: 'mask', width, height, toWidth, toHeight, coordinates, y0, y1 };
      return worker.band(job, pooledBytes(alpha), bandMemory(toWidth * (y1 - y0)));
    },
    (band, y0, y1) => {
      out.set(new Uint8Array(band.target, 0, toWidth * (y1 - y0)), y0 * toWidth);
      band.done();
    },
  );
  return out;
}
