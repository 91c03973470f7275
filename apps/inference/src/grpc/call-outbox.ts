import { constants as http2 } from 'node:http2';
import type { ServerWritableStream } from '@grpc/grpc-js';

/**
 * The events of one server-streaming call on their way to its client. grpc-js completes a write
 * only once HTTP/2 flow control has let its bytes go to the socket, so the writes to a client that
 * does not read stay pending, their bytes in this process's memory. The outbox counts them:
 * - `drained` resolves once the call is over: ended with everything written taken by the transport
 *   (the stream's 'finish'), or closed early (cancelled by the client, past its deadline, reset:
 *   'close'). It never rejects.
 * - While a write is pending a stall timer runs: when none completes for `stallMs` (the client took
 *   nothing), `onStall` is called, once. A client that reads never meets it: the timer runs only
 *   while a write waits, every completed write restarts it, and it stops when none is left.
 */
export class CallOutbox<T> {
  readonly drained: Promise<void>;
  private pending = 0;
  private timer?: NodeJS.Timeout;
  private stalled = false;

  constructor(
    private readonly call: ServerWritableStream<unknown, T>,
    private readonly stallMs: number,
    private readonly onStall: (pendingWrites: number) => void,
  ) {
    this.drained = new Promise<void>((resolve) => {
      call.once('finish', resolve);
      call.once('close', resolve);
    }).then(() => this.stopTimer());
  }

  /** Writes `event`, unless the call is over (cancelled, reset or ended). */
  write(event: T): void {
    const call = this.call;
    if (call.cancelled || call.destroyed || call.writableEnded) return;
    if (this.pending++ === 0) this.startTimer();
    call.write(event, () => this.written());
  }

  /** Writes not yet taken by the transport. */
  get pendingWrites(): number {
    return this.pending;
  }

  private written(): void {
    if (--this.pending <= 0) {
      this.pending = 0;
      this.stopTimer();
    } else this.timer?.refresh();
  }

  private startTimer(): void {
    if (this.stalled) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.pending === 0 || this.stalled) return;
      this.stalled = true;
      this.onStall(this.pending);
    }, this.stallMs);
  }

  private stopTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** HTTP/2's ENHANCE_YOUR_CALM: a grpc-js client reads a stream reset with it as RESOURCE_EXHAUSTED. */
export const STALLED_CALL_RESET_CODE = http2.NGHTTP2_ENHANCE_YOUR_CALM;

interface Http2StreamLike {
  close(code: number): void;
  closed: boolean;
  destroyed: boolean;
}

const isHttp2Stream = (value: unknown): value is Http2StreamLike =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Http2StreamLike).close === 'function' &&
  'rstCode' in value &&
  'closed' in value;

/**
 * Resets a server call's HTTP/2 stream with `code` (RST_STREAM): the one way to end a call whose
 * client does not read, as its status (trailers) would wait behind the unread data. grpc-js has no
 * public way to do it: the stream is a field of the call under the handler's (grpc-js 1.14:
 * `call.call`, through any interceptors' `nextCall`, `.stream`). The reset closes the call, which
 * grpc-js then reports as cancelled ('cancelled', 'close'). False when that stream is not found
 * (grpc-js changed; `unread-results.int-spec.ts` fails then).
 */
export function resetCall(call: ServerWritableStream<unknown, unknown>, code: number): boolean {
  let inner: unknown = (call as unknown as { call?: unknown }).call;
  for (let depth = 0; depth < 16 && typeof inner === 'object' && inner !== null && 'nextCall' in inner; depth++)
    inner = (inner as { nextCall: unknown }).nextCall;
  const stream = typeof inner === 'object' && inner !== null ? (inner as { stream?: unknown }).stream : undefined;
  if (!isHttp2Stream(stream)) return false;
  if (!stream.closed && !stream.destroyed) stream.close(code);
  return true;
}
