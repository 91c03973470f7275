import { Writable } from 'node:stream';
import type { ServerWritableStream } from '@grpc/grpc-js';
import { CallOutbox } from './call-outbox';

/** A server call whose writes complete when the test says (as grpc-js's do when the client has taken their bytes). */
class FakeCall extends Writable {
  cancelled = false;
  readonly waiting: (() => void)[] = [];

  constructor() {
    super({ objectMode: true });
  }

  override _write(_event: unknown, _encoding: string, callback: () => void): void {
    this.waiting.push(callback);
  }

  /** The client takes the oldest waiting write. */
  take(): void {
    this.waiting.shift()?.();
  }
}

const STALL_MS = 1000;

describe('CallOutbox', () => {
  let call: FakeCall;
  let stalls: number[];
  let outbox: CallOutbox<string>;
  beforeEach(() => {
    jest.useFakeTimers();
    call = new FakeCall();
    stalls = [];
    outbox = new CallOutbox(call as unknown as ServerWritableStream<unknown, string>, STALL_MS, (pending) => stalls.push(pending));
  });
  afterEach(() => jest.useRealTimers());

  it('runs no stall timer while nothing waits: a call that works for long and writes nothing is never reset', () => {
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(10 * STALL_MS);
    expect(stalls).toEqual([]);
  });

  it('stops the timer whenever every write has been taken: a client that reads never meets it', () => {
    for (let i = 0; i < 20; i++) {
      outbox.write(`event ${i}`);
      jest.advanceTimersByTime(STALL_MS - 1);
      call.take();
      expect(jest.getTimerCount()).toBe(0);
      jest.advanceTimersByTime(5 * STALL_MS);
    }
    expect(stalls).toEqual([]);
  });

  it('restarts the timer at every write taken while others wait: a slow reader is not a stalled one', () => {
    for (let i = 0; i < 5; i++) outbox.write(`event ${i}`);
    for (let i = 0; i < 4; i++) {
      jest.advanceTimersByTime(STALL_MS - 1);
      call.take();
    }
    expect(stalls).toEqual([]);
    expect(outbox.pendingWrites).toBe(1);
    jest.advanceTimersByTime(STALL_MS);
    expect(stalls).toEqual([1]);
  });

  it('calls onStall once when no write is taken for the limit; new writes do not put it off', () => {
    outbox.write('a');
    jest.advanceTimersByTime(STALL_MS / 2);
    outbox.write('b');
    jest.advanceTimersByTime(STALL_MS / 2 - 1);
    expect(stalls).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(stalls).toEqual([2]);
    outbox.write('c');
    jest.advanceTimersByTime(10 * STALL_MS);
    expect(stalls).toEqual([2]);
  });

  it('is drained once the call ended and every write was taken, not before', async () => {
    let drained = false;
    void outbox.drained.then(() => (drained = true));
    outbox.write('a');
    outbox.write('b');
    call.end();
    call.take();
    await jest.advanceTimersByTimeAsync(0);
    expect(drained).toBe(false);
    call.take();
    await jest.advanceTimersByTimeAsync(0);
    expect(drained).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('is drained when the call closes early (cancelled or reset), with writes still waiting; it writes nothing more', async () => {
    outbox.write('a');
    call.cancelled = true;
    call.destroy();
    await outbox.drained;
    expect(jest.getTimerCount()).toBe(0);
    outbox.write('b');
    expect(call.waiting).toHaveLength(1);
  });
});
