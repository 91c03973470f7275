import * as http2 from 'node:http2';
import { credentials, Metadata, status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { aNoisyImage } from '@cutout/testing';
import {
  errorCodeFromGrpc,
  InferenceError,
  InferenceGrpcClient,
  InferenceService,
  jobErrorCodeOf,
  toOutputOptions,
  type RemoveEvent,
  type RemoveRequest,
} from '@cutout/inference-contract';
import { aSquareImage } from '../testing/test-images';
import { startTestServer, type TestServer } from '../testing/test-server';

/** A call the test reads when it says: `readToEnd()` resumes it and resolves with its events (rejects with its failure). */
interface UnreadCall {
  readToEnd(): Promise<RemoveEvent[]>;
}

/**
 * A RemoveBackground call on the generated grpc-js client that stops reading at its first event:
 * the stream is paused, so grpc-js keeps at most 16 events (whole, each however large) and then
 * stops taking the HTTP/2 stream's data, whose flow-control window closes: the server's writes wait.
 * `ended` settles as the call does.
 */
function aPausedGrpcCall(
  address: string,
  request: Partial<RemoveRequest>,
): UnreadCall & { firstEvent: Promise<void>; ended: Promise<RemoveEvent[]> } {
  const client = new InferenceGrpcClient(address, credentials.createInsecure(), { 'grpc.max_receive_message_length': -1 });
  const stream = client.removeBackground(aRequest(request), new Metadata());
  const events: RemoveEvent[] = [];
  const firstEvent = new Promise<void>((resolve) =>
    stream.once('data', () => {
      stream.pause();
      resolve();
    }),
  );
  stream.on('data', (event: RemoveEvent) => events.push(event));
  const ended = new Promise<RemoveEvent[]>((resolve, reject) => {
    stream.on('end', () => resolve(events));
    stream.on('error', reject);
  }).finally(() => client.close());
  ended.catch(() => undefined);
  return {
    firstEvent,
    ended,
    readToEnd: () => {
      stream.resume();
      return ended;
    },
  };
}

/**
 * A RemoveBackground call over a bare HTTP/2 stream that reads nothing until `readToEnd()`: a
 * grpc-js client takes in a whole message however large while it holds fewer than 16, so a whole
 * result can only be left unread below it. `reset` resolves with the stream's reset code when the
 * server resets it unread.
 */
function anUnreadHttp2Call(address: string, request: Partial<RemoveRequest>): UnreadCall & { reset: Promise<number> } {
  const session = http2.connect(`http://${address}`);
  session.on('error', () => undefined);
  const method = InferenceService.removeBackground;
  const message = method.requestSerialize(aRequest(request));
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt32BE(message.length, 1);
  message.copy(frame, 5);
  const stream = session.request({ ':method': 'POST', ':path': method.path, 'content-type': 'application/grpc', te: 'trailers' });
  stream.end(frame);
  const received: Buffer[] = [];
  let status: string | undefined;
  stream.on('trailers', (trailers) => (status = String(trailers['grpc-status'])));
  const closed = new Promise<number>((resolve) => stream.on('close', () => resolve(stream.rstCode ?? 0))).finally(() => session.close());
  stream.on('error', () => undefined);
  const reset = closed.then((code) => (status === undefined ? code : Promise.reject(new Error(`ended with grpc-status ${status}`))));
  reset.catch(() => undefined);
  return {
    reset,
    readToEnd: async () => {
      stream.on('data', (data: Buffer) => received.push(data));
      const code = await closed;
      if (status !== '0') throw new Error(`ended with grpc-status ${status}, reset code ${code}`);
      const body = Buffer.concat(received);
      const events: RemoveEvent[] = [];
      for (let at = 0; at < body.length; at += 5 + body.readUInt32BE(at + 1))
        events.push(method.responseDeserialize(body.subarray(at + 5, at + 5 + body.readUInt32BE(at + 1))));
      return events;
    },
  };
}

const aRequest = (request: Partial<RemoveRequest>): RemoveRequest => ({
  image: Buffer.alloc(0),
  modelId: '',
  options: toOutputOptions({}),
  acceptChunks: false,
  ...request,
});

/** Settles as `promise` does, or rejects after `ms` naming what did not happen (a bound on a failing test, not a wait). */
const within = <T>(ms: number, promise: Promise<T>, what: string) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms).unref()),
  ]);

const imageOf = (events: RemoveEvent[]) => {
  const parts = events.filter((e) => e.chunk).map((e) => e.chunk?.data as Buffer);
  const result = events.find((e) => e.result)?.result;
  return { parts, result, image: parts.length ? Buffer.concat(parts) : (result?.image as Buffer) };
};

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e as InferenceError,
  );

// 2400x1800 random pixels at partial alpha: a PNG of over 8 MB (checked below), in 33 parts (one per
// 512 KiB strip of rows), far more than a paused client holds (16 events, a 64 KiB window): the
// server's writes wait for it.
const WIDTH = 2400;
const HEIGHT = 1800;
const options = { decontaminate: false };

describe('a client that does not read its result (INFERENCE_QUEUE_DEPTH=1)', () => {
  let photo: Buffer;
  beforeAll(async () => {
    photo = await aNoisyImage(WIDTH, HEIGHT);
  });
  /** The unread call of each case: the chunked result to a paused grpc-js client, the whole one to a bare HTTP/2 stream. */
  const unreadCall = (address: string, acceptChunks: boolean) => {
    const request = { image: photo, acceptChunks, options: toOutputOptions(options) };
    return acceptChunks ? aPausedGrpcCall(address, request) : anUnreadHttp2Call(address, request);
  };

  describe('keeps its slot until what was written has drained', () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer({ INFERENCE_QUEUE_DEPTH: '1', INFERENCE_STALL_TIMEOUT_MS: '120000' });
    });
    afterAll(async () => {
      expect(await t.close()).toBe(0);
    });

    it.each([
      ['in parts (accept_chunks)', true],
      ['whole (no accept_chunks)', false],
    ])(
      '%s: another request is refused RESOURCE_EXHAUSTED while it is unread, and admitted once it has read to the end',
      async (_name, acceptChunks) => {
        // Regression: the slot was freed once the result was written to the call, read or not, so a
        // client holding calls open without reading made the server buffer their results without bound.
        const written = t.nextLog('removed background');
        const unread = unreadCall(t.address, acceptChunks);
        await written; // the whole result is written to the call (where it waits for the client)
        const refused = await refusal(t.client.removeBackground({ image: await aSquareImage() }));
        expect(refused).toBeInstanceOf(InferenceError);
        expect(refused?.code).toBe('RESOURCE_EXHAUSTED');
        expect(refused?.message).toMatch(/INFERENCE_QUEUE_DEPTH=1/);

        const { parts, result, image } = imageOf(await unread.readToEnd());
        if (acceptChunks) expect(parts.length).toBeGreaterThan(20);
        else expect(parts).toHaveLength(0);
        expect(result).toMatchObject({ mime: 'image/png', width: WIDTH, height: HEIGHT, imageSize: image.length });
        expect(image.length).toBeGreaterThan(8_000_000);
        // Its slot is free: the same photo from a client that reads is admitted, and its bytes are these.
        const again = await t.client.removeBackground({ image: photo, options });
        expect(again.image.equals(image)).toBe(true);
      },
    );
  });

  describe('is reset after INFERENCE_STALL_TIMEOUT_MS, and its slot comes back', () => {
    const STALL_MS = 1000;
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer({ INFERENCE_QUEUE_DEPTH: '1', INFERENCE_STALL_TIMEOUT_MS: String(STALL_MS) });
    });
    afterAll(async () => {
      expect(await t.close()).toBe(0);
    });

    /** The server's warning, and the slot back: a client that reads is admitted and gets its result under the same limit. */
    const expectResetAndSlotBack = async (warning: Promise<Record<string, unknown>>) => {
      expect(await warning).toMatchObject({ level: 40, stallMs: STALL_MS });
      expect(await t.client.removeBackground({ image: photo, options })).toMatchObject({ width: WIDTH, height: HEIGHT });
    };

    it('in parts (accept_chunks), to a paused grpc-js client: RESOURCE_EXHAUSTED (to the API a busy server: INFERENCE_BUSY, retried)', async () => {
      const warning = t.nextLog('client did not read');
      const started = Date.now();
      const unread = aPausedGrpcCall(t.address, { image: photo, acceptChunks: true, options: toOutputOptions(options) });
      await unread.firstEvent;
      // The paused client still gets the status: the stream's reset, not a message behind the unread ones.
      const error = (await within(30_000, refusal(unread.ended), 'the unread call was not ended')) as unknown as ServiceError;
      expect(error?.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
      expect(Date.now() - started).toBeGreaterThanOrEqual(STALL_MS);
      const code = errorCodeFromGrpc(error.code, undefined, error.details);
      expect([code, jobErrorCodeOf(code), new InferenceError(code, '').transient]).toEqual(['RESOURCE_EXHAUSTED', 'INFERENCE_BUSY', true]);
      await expectResetAndSlotBack(warning);
    });

    it('whole (no accept_chunks), to a client that reads nothing: its stream is reset ENHANCE_YOUR_CALM (RESOURCE_EXHAUSTED to grpc-js)', async () => {
      const warning = t.nextLog('client did not read');
      const started = Date.now();
      const unread = anUnreadHttp2Call(t.address, { image: photo, acceptChunks: false, options: toOutputOptions(options) });
      expect(await within(30_000, unread.reset, 'the unread call was not reset')).toBe(http2.constants.NGHTTP2_ENHANCE_YOUR_CALM);
      expect(Date.now() - started).toBeGreaterThanOrEqual(STALL_MS);
      await expectResetAndSlotBack(warning);
    });
  });
});
