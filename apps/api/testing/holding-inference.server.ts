import { Server, ServerCredentials, type ServerWritableStream } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { InferenceService } from '@cutout/inference-contract';

export interface HoldingInference {
  address: string;
  /** Every RemoveBackground call received, in order (none is ever answered). */
  calls: ServerWritableStream<unknown, unknown>[];
  /** How many of them the client canceled. */
  cancelled: () => number;
  close: () => void;
}

/** A real gRPC inference server that reports SERVING and holds every RemoveBackground call (never answers): a job stays RUNNING. */
export async function startHoldingInference(): Promise<HoldingInference> {
  const server = new Server();
  new HealthImplementation({ '': 'SERVING' }).addToServer(server);
  const calls: ServerWritableStream<unknown, unknown>[] = [];
  let cancelled = 0;
  server.addService(InferenceService as never, {
    removeBackground: (call: ServerWritableStream<unknown, unknown>) => {
      calls.push(call);
      call.on('cancelled', () => cancelled++);
    },
    listModels: (_call: unknown, callback: (error: null, reply: unknown) => void) => callback(null, { models: [], defaultModelId: '' }),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return { address: `127.0.0.1:${port}`, calls, cancelled: () => cancelled, close: () => server.forceShutdown() };
}

/** Resolves once `check` holds, polling every 50 ms; fails after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (await check()) return;
  throw new Error(`not true within ${timeoutMs} ms`);
}
