const DONE = { done: true, value: undefined } as const;

/**
 * A subscription's result stream that delivers an event only after `recheck` allowed it,
 * and that can be ended or failed from outside while it waits for the next event (access
 * ended without any event: the subscription must not linger until one comes).
 * `recheck` answers false to stop silently (the socket is closing) or throws to fail with
 * that error.
 */
export class LiveStream<T> implements AsyncIterableIterator<T> {
  private ended = false;
  private failure: unknown;
  private wake!: () => void;
  private readonly stopped = new Promise<typeof DONE>((resolve) => (this.wake = () => resolve(DONE)));

  constructor(
    private readonly source: AsyncIterator<T>,
    private readonly recheck: () => Promise<boolean>,
    private readonly onEnd: () => void,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<T>> {
    if (!this.ended) {
      let result: IteratorResult<T>;
      try {
        result = await Promise.race([this.source.next(), this.stopped]);
      } catch (error) {
        this.end();
        throw error;
      }
      if (result.done) this.end();
      else if (await this.allowed()) return result;
    }
    return this.finished();
  }

  async return(): Promise<IteratorResult<T>> {
    this.end();
    return DONE;
  }

  async throw(error?: unknown): Promise<IteratorResult<T>> {
    this.end();
    throw error;
  }

  /** Re-checks now, between events; ends the stream (with the error) when access ended. */
  async recheckNow(): Promise<void> {
    if (!this.ended) await this.allowed();
  }

  /** Stops without an error (the socket is closing). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.wake();
    this.onEnd();
    void Promise.resolve(this.source.return?.()).catch(() => undefined);
  }

  private async allowed(): Promise<boolean> {
    try {
      if (await this.recheck()) return !this.ended;
    } catch (error) {
      if (!this.ended) this.failure = error;
    }
    this.end();
    return false;
  }

  private finished(): IteratorResult<T> {
    const failure = this.failure;
    this.failure = undefined;
    if (failure !== undefined) throw failure;
    return DONE;
  }
}
