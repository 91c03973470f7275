import { Worker } from 'node:worker_threads';

/** What a worker posts back: the id of the message it answers, ok, and why when not ok. */
export interface WorkerReply {
  id: number;
  ok: boolean;
  message?: string;
}

/**
 * The message channel to one worker thread running plain JavaScript (`source`, evaluated there):
 * request/reply by id, the worker referenced only while a reply is awaited (an idle worker never
 * keeps the process alive), and every waiter failed at once when the worker errs or exits.
 */
export class WorkerChannel<R extends WorkerReply> {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve(reply: R): void; reject(error: Error): void }>();
  private ids = 1;
  /** Set once the worker has failed: every later message is refused with it. */
  dead?: Error;
  private readonly deathListeners: ((error: Error) => void)[] = [];

  constructor(source: string, workerData: unknown, name: string) {
    this.worker = new Worker(source, { eval: true, execArgv: [], workerData });
    this.worker.unref();
    this.worker.on('message', (reply: R) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.settle(reply.id);
      if (reply.ok) waiting.resolve(reply);
      else waiting.reject(new Error(reply.message ?? `${name} failed`));
    });
    const fail = (error: Error) => {
      // An error is followed by an exit: the first says why.
      const first = !this.dead;
      this.dead ??= error;
      if (first) for (const listener of this.deathListeners.splice(0)) listener(this.dead);
      for (const [id, waiting] of this.pending) {
        this.settle(id);
        waiting.reject(error);
      }
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`${name} exited (${code})`)));
  }

  /**
   * Calls `listener` once when the worker errs or exits (at once if it already has), before the
   * waiters are failed: an owner can tell their failure from a refusal of the worker's own.
   */
  onDeath(listener: (error: Error) => void): void {
    if (this.dead) listener(this.dead);
    else this.deathListeners.push(listener);
  }

  /** A fresh id, for a message whose reply comes to a later request with the same id. */
  nextId(): number {
    return this.ids++;
  }

  /**
   * Posts a message that gets no reply of its own. Structured clone copies what is not in
   * `transfer` (the caller's arrays stay usable); what is in it moves and is detached here.
   */
  post(id: number, message: Record<string, unknown>, transfer: ArrayBuffer[] = []): void {
    if (this.dead) throw this.dead;
    this.worker.postMessage({ ...message, id }, transfer);
  }

  /** Posts a message and resolves with the worker's reply to its id (rejected when not ok or when the worker dies). */
  request(message: Record<string, unknown>, transfer: ArrayBuffer[] = [], id = this.nextId()): Promise<R> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id }, transfer);
    });
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }

  private settle(id: number): void {
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker.unref();
  }
}
