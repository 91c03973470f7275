import { Metadata, Server, ServerCredentials, status as GrpcStatus, type ServerWritableStream } from '@grpc/grpc-js';
import { RemoveEvent, RemoveRequest, Stage, InferenceService } from './generated/inference.generated';
import { InferenceClient } from './inference.client';
import { ERROR_CODE_METADATA_KEY, InferenceError } from './inference.errors';

type Call = ServerWritableStream<RemoveRequest, RemoveEvent>;

/** A loopback server whose RemoveBackground writes one progress event, then does what `then` says. */
async function aFakeServer(then: (call: Call, server: Server) => void) {
  const server = new Server();
  server.addService(InferenceService, {
    removeBackground(call: Call) {
      call.write({ progress: { stage: Stage.DECODED, fraction: 0.1 }, result: undefined, chunk: undefined });
      then(call, server);
    },
    listModels: (_call: unknown, callback: (e: null, r: unknown) => void) => callback(null, { models: [], defaultModelId: '' }),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  const client = new InferenceClient({ urls: `127.0.0.1:${port}`, deadlineMs: 10_000 });
  return {
    client,
    close: () => {
      client.close();
      server.forceShutdown();
    },
  };
}

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('the call succeeded');
    },
    (error: unknown) => error as InferenceError,
  );

describe('InferenceClient: a CANCELLED call', () => {
  it('reads CANCELLED without the error-code trailer, not cancelled here, as UNAVAILABLE (transient): the server ended it', async () => {
    const fake = await aFakeServer((call) => call.emit('error', { code: GrpcStatus.CANCELLED, details: 'Cancelled on server' }));
    try {
      const failure = await failureOf(fake.client.removeBackground({ image: Buffer.from('x') }));
      expect(failure).toBeInstanceOf(InferenceError);
      expect(failure).toMatchObject({ code: 'UNAVAILABLE', transient: true, grpcCode: GrpcStatus.CANCELLED });
    } finally {
      fake.close();
    }
  });

  it('reads a server forced to shut down mid-call (tryShutdown, then forceShutdown) as UNAVAILABLE (transient)', async () => {
    // What a stopping server did past its grace: the job failed CANCELED for good, though nobody cancelled it.
    const fake = await aFakeServer((_call, server) => {
      server.tryShutdown(() => undefined);
      setTimeout(() => server.forceShutdown(), 100);
    });
    try {
      expect(await failureOf(fake.client.removeBackground({ image: Buffer.from('x') }))).toMatchObject({
        code: 'UNAVAILABLE',
        transient: true,
      });
    } finally {
      fake.close();
    }
  });

  it('still reads the caller’s own abort as CANCELED (not transient), and a CANCELED trailer as CANCELED', async () => {
    const hanging = await aFakeServer(() => undefined);
    try {
      const abort = new AbortController();
      const call = failureOf(
        hanging.client.removeBackground({ image: Buffer.from('x') }, { signal: abort.signal, onProgress: () => abort.abort() }),
      );
      expect(await call).toMatchObject({ code: 'CANCELED', transient: false });
    } finally {
      hanging.close();
    }
    const trailer = new Metadata();
    trailer.set(ERROR_CODE_METADATA_KEY, 'CANCELED');
    const said = await aFakeServer((call) =>
      call.emit('error', { code: GrpcStatus.CANCELLED, details: 'request cancelled', metadata: trailer }),
    );
    try {
      expect(await failureOf(said.client.removeBackground({ image: Buffer.from('x') }))).toMatchObject({
        code: 'CANCELED',
        transient: false,
      });
    } finally {
      said.close();
    }
  });
});
