import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials, Metadata, Server, ServerCredentials, type ServerWritableStream } from '@grpc/grpc-js';
import sharp from 'sharp';
import { glibcTunablesOf } from '@cutout/testing';
import {
  INFERENCE_MALLOC_TUNABLES,
  INFERENCE_V8_FLAGS,
  InferenceClient,
  InferenceError,
  InferenceGrpcClient,
  InferenceService,
  RemovalMode,
  toOutputOptions,
  type RemoveEvent,
  type RemoveRequest,
  type StageName,
} from '@cutout/inference-contract';
import { aPixelBombPng, aSquareImage, alphaOf, anSvgImage } from '../testing/test-images';
import { startTestServer, type TestServer } from '../testing/test-server';
import { writeTinyModel } from '../testing/tiny-onnx-model';

type ProgressEvent = [StageName, number];

/** Overall progress: stages in order (each at least once), fractions never decreasing, the last event ENCODED at exactly 1. */
const expectOverallProgress = (events: ProgressEvent[]) => {
  expect(events.map(([s]) => s).filter((s, i, all) => s !== all[i - 1])).toEqual(['decoded', 'inference', 'refine', 'encoded']);
  expect(events.map(([, f]) => f)).toEqual([...events.map(([, f]) => f)].sort((a, b) => a - b));
  expect(events.at(-1)).toEqual(['encoded', 1]);
  expect(events.filter(([s]) => s === 'encoded')).toHaveLength(1);
};

const expectFailure = async (promise: Promise<unknown>, code: string, message?: RegExp) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InferenceError);
  expect((error as InferenceError).code).toBe(code);
  if (message) expect((error as InferenceError).message).toMatch(message);
  return error as InferenceError;
};

describe('Inference gRPC server (tiny model)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    // main.ts exits cleanly on SIGTERM.
    expect(await t.close()).toBe(0);
  });

  it('runs the service with INFERENCE_V8_FLAGS on its command line (a larger initial old generation: fewer full collections)', () => {
    const args = readFileSync(`/proc/${t.process.pid}/cmdline`, 'utf8').split('\0');
    expect(INFERENCE_V8_FLAGS).toContain('--initial-old-space-size=128');
    for (const flag of INFERENCE_V8_FLAGS) expect(args.indexOf(flag)).toBeGreaterThan(0);
    // V8 flags go before the script: after it they would be the script's own arguments.
    expect(Math.max(...INFERENCE_V8_FLAGS.map((f) => args.indexOf(f)))).toBeLessThan(args.findIndex((a) => a.endsWith('main.ts')));
  });

  it('runs the service with its malloc tunables in GLIBC_TUNABLES (huge pages; one arena, so the model worker runs at full speed)', () => {
    const tunables = glibcTunablesOf(t.process.pid as number);
    expect(INFERENCE_MALLOC_TUNABLES).toEqual(['glibc.malloc.hugetlb=1', 'glibc.malloc.arena_max=1']);
    expect(tunables).toEqual(expect.arrayContaining([...INFERENCE_MALLOC_TUNABLES]));
  });

  it('sends itself one synthetic cut-out over gRPC before health turns SERVING (the request path warmed up)', () => {
    const lines = t
      .logs()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg: string; ms?: number; model?: string });
    const at = (msg: string) => lines.findIndex((line) => line.msg === msg);
    const warmed = at('request path warmed up (one synthetic cut-out)');
    expect(warmed).toBeGreaterThanOrEqual(0);
    expect(lines[warmed]).toMatchObject({ model: 'tiny', ms: expect.any(Number) });
    // It went through the gRPC handler, as a client's request does, and all of it before SERVING.
    expect(at('removed background')).toBeGreaterThanOrEqual(0);
    expect(at('removed background')).toBeLessThan(warmed);
    expect(warmed).toBeLessThan(at('inference ready (health SERVING)'));
    expect(lines.some((line) => line.msg.startsWith('warm-up cut-out failed'))).toBe(false);
  });

  it('answers health SERVING once the default model is warm, and lists models', async () => {
    expect(await t.client.checkHealth()).toEqual([{ address: t.address, status: 'SERVING' }]);
    const { models, defaultModelId } = await t.client.listModels();
    expect(defaultModelId).toBe('tiny');
    expect(models).toEqual([
      expect.objectContaining({
        id: 'tiny',
        inputWidth: 64,
        inputHeight: 64,
        loaded: true,
        isDefault: true,
        available: true,
        licence: 'MIT',
      }),
    ]);
  });

  it('streams progress in stage order and returns a cut-out whose alpha follows the subject', async () => {
    const stages: ProgressEvent[] = [];
    const result = await t.client.removeBackground(
      { image: await aSquareImage({ width: 200, height: 100, square: 40 }) },
      { onProgress: (s, f) => stages.push([s, f]) },
    );
    expectOverallProgress(stages);
    expect(result).toMatchObject({ mime: 'image/png', width: 200, height: 100, modelId: 'tiny' });
    const alpha = await alphaOf(result.image);
    expect(alpha.channels).toBe(4);
    expect(alpha.data[50 * 200 + 100]).toBeGreaterThan(240); // centre of the square
    expect(alpha.data[5 * 200 + 5]).toBeLessThan(15); // corner
    expect(result.foregroundFraction).toBeGreaterThan(0.05);
    expect(result.foregroundFraction).toBeLessThan(0.15);
    expect(result.timings.totalMs).toBeGreaterThan(0);
  });

  it('returns the mask alone, cropped to the subject with a margin', async () => {
    const result = await t.client.removeBackground({
      image: await aSquareImage({ width: 300, height: 200, square: 60 }),
      options: { type: 'mask', crop: true, cropMargin: '10px' },
    });
    expect(result.width).toBeGreaterThanOrEqual(70);
    expect(result.width).toBeLessThanOrEqual(90);
    expect(Math.abs(result.height - result.width)).toBeLessThanOrEqual(4);
    expect((await sharp(result.image).metadata()).channels).toBe(1);
  });

  it('encodes JPG over a background colour, WEBP, and a preview size', async () => {
    const image = await aSquareImage({ width: 1200, height: 800, square: 200, format: 'jpeg' });
    const jpg = await t.client.removeBackground({ image, options: { format: 'jpg', bgColor: '#00ff00' } });
    expect(jpg.mime).toBe('image/jpeg');
    const { data } = await sharp(jpg.image).raw().toBuffer({ resolveWithObject: true });
    expect(data[1]).toBeGreaterThan(200); // green background in the corner
    expect(data[0]).toBeLessThan(50);
    const webp = await t.client.removeBackground({ image, options: { format: 'webp', size: 'preview' } });
    expect(webp.mime).toBe('image/webp');
    expect(webp.width * webp.height).toBeLessThanOrEqual(250_000 * 1.01);
    expect(webp.width / webp.height).toBeCloseTo(1.5, 1);
    const custom = await t.client.removeBackground({ image, options: { size: 0.1, refine: true } });
    expect(custom.width * custom.height).toBeLessThanOrEqual(100_000 * 1.01);
  });

  it('gives concurrent cut-outs of one size exactly what each gets alone (pooled memory is never shared)', async () => {
    // Same size: the model input, PNG rows and decontaminated crop all come from and go back to the same pool slots.
    const images = await Promise.all([40, 60, 80].map((square) => aSquareImage({ width: 320, height: 240, square })));
    const alone: Buffer[] = [];
    for (const image of images) alone.push((await t.client.removeBackground({ image })).image);
    for (let round = 0; round < 2; round++) {
      const together = await Promise.all(images.map((image) => t.client.removeBackground({ image })));
      together.forEach((r, i) => expect(r.image.equals(alone[i])).toBe(true));
    }
    expect(new Set(alone.map((b) => b.toString('base64'))).size).toBe(3);
  });

  it('honours EXIF orientation', async () => {
    const image = await sharp(await aSquareImage({ width: 200, height: 100 }))
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    const result = await t.client.removeBackground({ image });
    expect([result.width, result.height]).toEqual([100, 200]);
  });

  describe('result bytes sent while the PNG is encoded (accept_chunks)', () => {
    /** Every event of one call on the generated gRPC client (no joining: what travels on the wire). */
    const rawCall = (request: Partial<RemoveRequest>) =>
      new Promise<RemoveEvent[]>((resolve, reject) => {
        const client = new InferenceGrpcClient(t.address, credentials.createInsecure());
        const events: RemoveEvent[] = [];
        const full = { image: Buffer.alloc(0), modelId: '', options: toOutputOptions({}), acceptChunks: false, ...request };
        const stream = client.removeBackground(full, new Metadata());
        stream.on('data', (e: RemoveEvent) => events.push(e));
        stream.on('error', (e) => (client.close(), reject(e)));
        stream.on('end', () => (client.close(), resolve(events)));
      });
    const resultOf = (events: RemoveEvent[]) => events.find((e) => e.result)?.result;

    it('sends a PNG in parts that join to the same file as the whole one, and the client joins them', async () => {
      // 900x700 RGBA rows are ~2.5 MB: several 512 KiB strips, each its own part.
      const image = await aSquareImage({ width: 900, height: 700, square: 300 });
      const chunked = await rawCall({ image, acceptChunks: true });
      const parts = chunked.filter((e) => e.chunk).map((e) => e.chunk?.data as Buffer);
      expect(parts.length).toBeGreaterThan(2);
      // Every part comes before the Result, which then carries no bytes of its own but their total.
      expect(chunked.findIndex((e) => e.result)).toBe(chunked.length - 1);
      const joined = Buffer.concat(parts);
      expect(resultOf(chunked)).toMatchObject({ mime: 'image/png', width: 900, height: 700, imageSize: joined.length });
      expect(resultOf(chunked)?.image).toHaveLength(0);
      const whole = await rawCall({ image, acceptChunks: false });
      expect(whole.some((e) => e.chunk)).toBe(false);
      expect(resultOf(whole)?.imageSize).toBe(resultOf(whole)?.image.length);
      expect(joined.equals(resultOf(whole)?.image as Buffer)).toBe(true);
      // InferenceClient asks for parts and joins them.
      const viaClient = await t.client.removeBackground({ image });
      expect(viaClient.image.equals(joined)).toBe(true);
      expect((await alphaOf(viaClient.image)).data[350 * 900 + 450]).toBeGreaterThan(240);
    });

    it('says in its Result which mode ran: STANDARD by default, HIGH when asked', async () => {
      const image = await aSquareImage({ width: 120, height: 90, square: 30 });
      expect(resultOf(await rawCall({ image }))?.mode).toBe(RemovalMode.STANDARD);
      expect(resultOf(await rawCall({ image, options: toOutputOptions({ mode: 'high' }) }))?.mode).toBe(RemovalMode.HIGH);
    });

    it('sends WebP and JPG whole even to a client that accepts parts', async () => {
      const image = await aSquareImage({ width: 900, height: 700, square: 300 });
      for (const format of ['webp', 'jpg'] as const) {
        const events = await rawCall({ image, acceptChunks: true, options: toOutputOptions({ format, bgColor: '#ffffff' }) });
        expect(events.some((e) => e.chunk)).toBe(false);
        expect(resultOf(events)?.image.length).toBe(resultOf(events)?.imageSize);
        expect(resultOf(events)?.imageSize).toBeGreaterThan(0);
      }
    });
  });

  describe('bad input gets a clear error and the server keeps serving', () => {
    it.each([
      ['empty bytes', () => Buffer.alloc(0), 'UNSUPPORTED_IMAGE', /empty/],
      ['a text file', () => Buffer.from('hello, this is not an image'), 'UNSUPPORTED_IMAGE', /decode|unsupported/i],
      ['an SVG', () => anSvgImage(), 'UNSUPPORTED_IMAGE', /unsupported image format svg/],
      ['a 30000x30000 pixel bomb', () => aPixelBombPng(), 'IMAGE_TOO_LARGE', /30000x30000/],
    ])('%s', async (_name, image, code, message) => {
      await expectFailure(t.client.removeBackground({ image: image() }), code, message);
    });

    it('a truncated PNG and a truncated JPEG', async () => {
      for (const format of ['png', 'jpeg'] as const) {
        const full = await aSquareImage({ width: 400, height: 300, format });
        await expectFailure(
          t.client.removeBackground({ image: full.subarray(0, Math.floor(full.length / 2)) }),
          'UNSUPPORTED_IMAGE',
          /decode/,
        );
      }
    });

    it('an unknown model id', async () => {
      await expectFailure(
        t.client.removeBackground({ image: await aSquareImage(), modelId: 'nope' }),
        'MODEL_NOT_FOUND',
        /unknown model "nope"/,
      );
    });

    it.each([
      [{ bgColor: 'red' }, /hex colour/],
      [{ format: 'jpg' as const }, /JPG has no transparency/],
      [{ cropMargin: '-5px', crop: true }, /^options\.cropMargin: /],
      [{ cropMargin: '150%', crop: true }, /100%/],
      [{ cropMargin: '12.5', crop: true }, /^options\.cropMargin: /],
      [{ size: -2 }, /^options\.size: /],
      [{ size: 600 }, /^options\.size: /],
      [{ quality: 300 }, /quality/],
    ])('invalid options %j', async (options, message) => {
      await expectFailure(t.client.removeBackground({ image: await aSquareImage(), options }), 'INVALID_ARGUMENT', message);
    });

    it('a result its format cannot hold (WebP over 16383, JPG over 65500 pixels a side): IMAGE_TOO_LARGE before any work; PNG works', async () => {
      // Regression: sharp failed while encoding, after the model ran, and the call ended INTERNAL_ERROR.
      const wide = await aSquareImage({ width: 20000, height: 60, square: 40 });
      const stages: string[] = [];
      await expectFailure(
        t.client.removeBackground({ image: wide, options: { format: 'webp' } }, { onProgress: (stage) => stages.push(stage) }),
        'IMAGE_TOO_LARGE',
        /16383/,
      );
      expect(stages).toEqual([]); // refused before decoding: no stage reached
      const wider = await aSquareImage({ width: 70000, height: 20, square: 10 });
      await expectFailure(
        t.client.removeBackground({ image: wider, options: { format: 'jpg', bgColor: '#ffffff' } }),
        'IMAGE_TOO_LARGE',
        /65500/,
      );
      expect(await t.client.removeBackground({ image: wide })).toMatchObject({ mime: 'image/png', width: 20000, height: 60 });
    });

    it('still serves after a run of bad requests', async () => {
      for (let i = 0; i < 20; i++) await expectFailure(t.client.removeBackground({ image: Buffer.from(`junk ${i}`) }), 'UNSUPPORTED_IMAGE');
      expect((await t.client.removeBackground({ image: await aSquareImage() })).width).toBe(200);
    });
  });

  it('a cancelled call ends with CANCELED', async () => {
    const controller = new AbortController();
    const image = await aSquareImage({ width: 3000, height: 2000, square: 500, format: 'png' });
    const call = t.client.removeBackground(
      { image, options: { refine: true } },
      { signal: controller.signal, onProgress: () => controller.abort() },
    );
    await expectFailure(call, 'CANCELED', /cancelled by the caller/);
  });

  it('a call past its deadline ends with DEADLINE_EXCEEDED', async () => {
    const image = await aSquareImage({ width: 3000, height: 2000, square: 500 });
    await expectFailure(t.client.removeBackground({ image }, { deadlineMs: 1 }), 'DEADLINE_EXCEEDED');
  });
});

describe('Inference progress while a (slow) model runs', () => {
  let modelsDir: string;
  let t: TestServer;
  beforeAll(async () => {
    // The tiny model with busy work: a run long enough for several 10 ms ticks.
    modelsDir = mkdtempSync(join(tmpdir(), 'cutout-slow-model-'));
    writeTinyModel(modelsDir, { id: 'tiny', size: 256, work: 16 });
    t = await startTestServer({ MODELS_DIR: modelsDir, INFERENCE_PROGRESS_INTERVAL_MS: '10' });
  });
  afterAll(async () => {
    await t.close();
    rmSync(modelsDir, { recursive: true, force: true });
  });

  it('sends INFERENCE ticks during the run: overall, monotonic, ending at 1, the first and the next requests', async () => {
    for (const refine of [false, true, false]) {
      const events: ProgressEvent[] = [];
      const result = await t.client.removeBackground(
        { image: await aSquareImage(), options: { refine } },
        { onProgress: (s, f) => events.push([s, f]) },
      );
      expect(result.width).toBe(200);
      expectOverallProgress(events);
      const ticks = events.filter(([s]) => s === 'inference');
      expect(ticks.length).toBeGreaterThanOrEqual(2);
      // The model run is most of this request's expected time: the ticks cover a good part of the bar.
      expect(ticks.at(-1)![1] - events[0][1]).toBeGreaterThan(0.3);
    }
  });
});

describe('Inference gRPC server limits and failover', () => {
  it('answers RESOURCE_EXHAUSTED at once past the queue depth, and a cancelled call frees its slot', async () => {
    const t = await startTestServer({ INFERENCE_QUEUE_DEPTH: '1', INFERENCE_CONCURRENCY: '1' });
    try {
      const image = await aSquareImage({ width: 2000, height: 2000, square: 400 });
      const outcomes = await Promise.allSettled(
        Array.from({ length: 4 }, () => t.client.removeBackground({ image, options: { refine: true } })),
      );
      const refused = outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason as InferenceError);
      expect(outcomes.some((o) => o.status === 'fulfilled')).toBe(true);
      expect(refused.length).toBeGreaterThan(0);
      for (const e of refused) {
        expect(e.code).toBe('RESOURCE_EXHAUSTED');
        expect(e.transient).toBe(true);
      }
      // Cancel a call as soon as it is decoded; the next call must be admitted (the slot was freed).
      const controller = new AbortController();
      await expectFailure(
        t.client.removeBackground(
          { image, options: { refine: true } },
          { signal: controller.signal, onProgress: () => controller.abort() },
        ),
        'CANCELED',
      );
      let admitted = false;
      for (let i = 0; i < 50 && !admitted; i++) {
        admitted = await t.client.removeBackground({ image: await aSquareImage() }).then(
          () => true,
          (e: InferenceError) =>
            e.code === 'RESOURCE_EXHAUSTED' ? new Promise<boolean>((r) => setTimeout(() => r(false), 100)) : Promise.reject(e),
        );
      }
      expect(admitted).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('refuses an image past INFERENCE_MAX_BYTES as IMAGE_TOO_LARGE (not transient), also past the transport’s own limit (+1 MiB)', async () => {
    // Regression: past the transport's limit grpc-js refused it as RESOURCE_EXHAUSTED: a busy server, failed over and retried.
    const t = await startTestServer({ INFERENCE_MAX_BYTES: '1000000' });
    try {
      for (const size of [1_000_001, 2_200_000]) {
        const image = Buffer.alloc(size, 1);
        image.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
        const error = await expectFailure(t.client.removeBackground({ image }), 'IMAGE_TOO_LARGE');
        expect(error.transient).toBe(false);
      }
      expect((await t.client.removeBackground({ image: await aSquareImage() })).width).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('fails over from an unreachable server to a healthy one', async () => {
    const t = await startTestServer();
    const client = new InferenceClient({ urls: `127.0.0.1:1,${t.address}`, deadlineMs: 30_000, healthDeadlineMs: 1000 });
    try {
      const health = await client.checkHealth();
      expect(health).toEqual([
        { address: '127.0.0.1:1', status: 'UNREACHABLE' },
        { address: t.address, status: 'SERVING' },
      ]);
      const result = await client.removeBackground({ image: await aSquareImage() });
      expect(result.address).toBe(t.address);
    } finally {
      client.close();
      await t.close();
    }
  });

  /**
   * A server with a hand-written RemoveBackground (the real protocol): it answers every request with
   * `events(request)`. One address: the client calls it without a health check (it has no health service).
   */
  const handWrittenServer = async (events: (request: RemoveRequest) => RemoveEvent[]) => {
    const server = new Server();
    const requests: RemoveRequest[] = [];
    server.addService(InferenceService, {
      removeBackground(call: ServerWritableStream<RemoveRequest, RemoveEvent>) {
        requests.push(call.request);
        for (const event of events(call.request)) call.write(event);
        call.end();
      },
      listModels: (_call: unknown, callback: (e: null, r: object) => void) => callback(null, { models: [], defaultModelId: '' }),
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
    );
    const client = new InferenceClient({ urls: [`127.0.0.1:${port}`], deadlineMs: 5000 });
    return {
      client,
      requests,
      close: () => {
        client.close();
        server.forceShutdown();
      },
    };
  };
  const aResult = (mode: RemovalMode, image = Buffer.from('png bytes')) => ({
    image,
    mime: 'image/png',
    width: 1,
    height: 1,
    foregroundFraction: 0,
    modelId: 'tiny',
    timings: undefined,
    imageSize: image.length,
    mode,
  });

  it('refuses a result whose parts do not add up to its size (INTERNAL_ERROR, not a truncated image)', async () => {
    // A server that drops a part.
    const t = await handWrittenServer(() => [
      { progress: undefined, result: undefined, chunk: { data: Buffer.from('first part') } },
      { progress: undefined, chunk: undefined, result: { ...aResult(RemovalMode.STANDARD, Buffer.alloc(0)), imageSize: 100 } },
    ]);
    try {
      await expectFailure(t.client.removeBackground({ image: Buffer.from('x') }), 'INTERNAL_ERROR', /sent 10 image bytes .* of 100/);
    } finally {
      t.close();
    }
  });

  it('refuses a HIGH request answered by a server older than modes (one pass, no mode said): UNAVAILABLE, transient; STANDARD from it is fine', async () => {
    // Regression: such a server ignores the mode field it does not know and runs one pass; the
    // caller charged twice the price for it and stored the result as if it were HIGH.
    const t = await handWrittenServer(() => [{ progress: undefined, chunk: undefined, result: aResult(RemovalMode.UNSPECIFIED) }]);
    try {
      const error = await expectFailure(
        t.client.removeBackground({ image: Buffer.from('x'), options: { mode: 'high' } }),
        'UNAVAILABLE',
        /one standard pass for a HIGH request: it predates the high-quality mode/,
      );
      expect(error.transient).toBe(true);
      expect(t.requests[0].options?.mode).toBe(RemovalMode.HIGH);
      const standard = await t.client.removeBackground({ image: Buffer.from('x'), options: {} });
      expect(standard.image.toString()).toBe('png bytes');
    } finally {
      t.close();
    }
  });

  it('a server that says it ran HIGH has its HIGH result accepted', async () => {
    const t = await handWrittenServer((request) => [
      {
        progress: undefined,
        chunk: undefined,
        result: aResult(request.options?.mode === RemovalMode.HIGH ? RemovalMode.HIGH : RemovalMode.STANDARD),
      },
    ]);
    try {
      const high = await t.client.removeBackground({ image: Buffer.from('x'), options: { mode: 'high' } });
      expect(high.image.toString()).toBe('png bytes');
    } finally {
      t.close();
    }
  });

  it('gives UNAVAILABLE (transient) when no server answers', async () => {
    const client = new InferenceClient({ urls: ['127.0.0.1:1'], deadlineMs: 2000 });
    try {
      const error = await expectFailure(client.removeBackground({ image: Buffer.from('x') }), 'UNAVAILABLE');
      expect(error.transient).toBe(true);
    } finally {
      client.close();
    }
  });
});
