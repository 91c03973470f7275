import { InferenceFailure } from '../errors/inference-failure';

/**
 * Counts admitted requests; past `depth`, refuses at once (RESOURCE_EXHAUSTED). Admitted
 * requests also reserve their photos' pixels before decoding them (a Semaphore of `maxPixels`
 * units): past `maxPixels` a request waits (first come, first served; abortable) until enough are
 * given back, holding only its compressed bytes meanwhile. A request is let in whenever no pixels
 * are held, so one photo of the largest size allowed is always served.
 */
export class AdmissionGate {
  private active = 0;
  private readonly pixels: Semaphore;
  constructor(
    readonly depth: number,
    readonly maxPixels = Number.POSITIVE_INFINITY,
  ) {
    this.pixels = new Semaphore(maxPixels);
  }

  get inFlight(): number {
    return this.active;
  }

  /** Pixels reserved by the requests in flight. */
  get pixelsInFlight(): number {
    return this.pixels.held;
  }

  /** Requests waiting for pixels. */
  get waitingForPixels(): number {
    return this.pixels.waiting;
  }

  /** Takes a slot or throws; call the returned function exactly once to give it back. */
  admitOrThrow(): () => void {
    if (this.active >= this.depth)
      throw new InferenceFailure(
        'RESOURCE_EXHAUSTED',
        `server busy: ${this.active} requests in flight (INFERENCE_QUEUE_DEPTH=${this.depth}); retry later or on another server`,
      );
    this.active++;
    return once(() => this.active--);
  }

  /**
   * Reserves a photo's pixels, waiting while they would pass `maxPixels` (CANCELED if `signal`
   * aborts meanwhile); resolves with the function that gives them back (once).
   */
  reservePixels(count: number, signal?: AbortSignal): Promise<() => void> {
    return this.pixels.acquire(count, signal);
  }
}

/** `release`, run at most once however often the result is called. */
function once(release: () => void): () => void {
  let released = false;
  return () => {
    if (released) return;
    released = true;
    release();
  };
}

/**
 * A weighted semaphore of `capacity` units: for the CPU-heavy stages (decode, encode: `use`, one
 * unit each) and the pixels of the photos in flight (AdmissionGate: a photo's pixel count). A
 * caller waits while its units would pass the capacity: first come, first served (a large request
 * is not overtaken for ever by small ones), and abortable (CANCELED; the one behind it may then
 * fit). One asking for more than the whole capacity is let in when nothing is held, alone.
 */
export class Semaphore {
  private inUse = 0;
  private readonly queue: { count: number; grant: () => void }[] = [];

  constructor(readonly capacity: number) {}

  /** Units held now. */
  get held(): number {
    return this.inUse;
  }

  /** Callers waiting for units. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Runs `work` holding one unit. */
  async use<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.acquire(1, signal);
    try {
      return await work();
    } finally {
      release();
    }
  }

  /** Takes `count` units, waiting for them if need be; resolves with the function that gives them back (once). */
  acquire(count: number, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(new InferenceFailure('CANCELED', 'request cancelled'));
    return new Promise((resolve, reject) => {
      const waiter = {
        count,
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          this.inUse += count;
          resolve(
            once(() => {
              this.inUse -= count;
              this.grantWaiting();
            }),
          );
        },
      };
      const onAbort = () => {
        const i = this.queue.indexOf(waiter);
        if (i < 0) return;
        this.queue.splice(i, 1);
        reject(new InferenceFailure('CANCELED', 'request cancelled'));
        this.grantWaiting(); // the one behind it may fit
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
      this.grantWaiting();
    });
  }

  /** Lets in the waiting callers, in order, while the first of them fits. */
  private grantWaiting(): void {
    while (this.queue.length && (this.inUse === 0 || this.inUse + this.queue[0].count <= this.capacity)) {
      this.queue.shift()?.grant();
    }
  }
}
