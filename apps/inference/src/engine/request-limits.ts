import { InferenceFailure } from '../errors/inference-failure';

/** Counts admitted requests; past `depth`, refuses at once (RESOURCE_EXHAUSTED). */
export class AdmissionGate {
  private active = 0;
  constructor(readonly depth: number) {}

  get inFlight(): number {
    return this.active;
  }

  /** Takes a slot or throws; call the returned function exactly once to give it back. */
  admitOrThrow(): () => void {
    if (this.active >= this.depth)
      throw new InferenceFailure(
        'RESOURCE_EXHAUSTED',
        `server busy: ${this.active} requests in flight (INFERENCE_QUEUE_DEPTH=${this.depth}); retry later or on another server`,
      );
    this.active++;
    let released = false;
    return () => {
      if (!released) {
        released = true;
        this.active--;
      }
    };
  }
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
