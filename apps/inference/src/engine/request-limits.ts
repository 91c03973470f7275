import { InferenceFailure } from '../errors/inference-failure';

/**
 * Counts admitted requests; past `depth`, refuses at once (RESOURCE_EXHAUSTED). Admitted
 * requests also reserve their photos' pixels before decoding them: past `maxPixels` a request
 * waits (first come, first served; abortable) until enough are given back, holding only its
 * compressed bytes meanwhile. A request is let in whenever no pixels are held, so one photo of the
 * largest size allowed is always served.
 */
export class AdmissionGate {
  private active = 0;
  private pixels = 0;
  private readonly waiting: { count: number; grant: () => void }[] = [];
  constructor(
    readonly depth: number,
    readonly maxPixels = Number.POSITIVE_INFINITY,
  ) {}

  get inFlight(): number {
    return this.active;
  }

  /** Pixels reserved by the requests in flight. */
  get pixelsInFlight(): number {
    return this.pixels;
  }

  /** Requests waiting for pixels. */
  get waitingForPixels(): number {
    return this.waiting.length;
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
    if (signal?.aborted) return Promise.reject(new InferenceFailure('CANCELED', 'request cancelled'));
    return new Promise((resolve, reject) => {
      const waiter = {
        count,
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          this.pixels += count;
          resolve(
            once(() => {
              this.pixels -= count;
              this.grantWaiting();
            }),
          );
        },
      };
      const onAbort = () => {
        const i = this.waiting.indexOf(waiter);
        if (i < 0) return;
        this.waiting.splice(i, 1);
        reject(new InferenceFailure('CANCELED', 'request cancelled'));
        this.grantWaiting(); // the one behind it may fit
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
      this.grantWaiting();
    });
  }

  /** Lets in the waiting requests, in order, while the first of them fits. */
  private grantWaiting(): void {
    while (this.waiting.length && (this.pixels === 0 || this.pixels + this.waiting[0].count <= this.maxPixels)) {
      this.waiting.shift()?.grant();
    }
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

/** A counting semaphore for CPU-heavy stages (decode, encode); waiting is abortable. */
export class Semaphore {
  private available: number;
  private readonly waiters: { resolve: () => void; reject: (e: unknown) => void; signal?: AbortSignal; onAbort?: () => void }[] = [];

  constructor(permits: number) {
    this.available = permits;
  }

  async use<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new InferenceFailure('CANCELED', 'request cancelled'));
    if (this.available > 0) {
      this.available--;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter: (typeof this.waiters)[number] = { resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(new InferenceFailure('CANCELED', 'request cancelled'));
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.waiters.push(waiter);
    });
  }

  private release(): void {
    const next = this.waiters.shift();
    if (next) {
      if (next.onAbort) next.signal?.removeEventListener('abort', next.onAbort);
      next.resolve();
    } else this.available++;
  }
}
