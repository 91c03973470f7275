import { Worker } from 'node:worker_threads';
import { sessionOptions, type ExecutionProvider, type SessionLogger, type SessionSettings } from './onnx-session';

/** A model's ONNX Runtime session, living on its own worker thread. */
export interface ModelSession {
  readonly provider: ExecutionProvider;
  /** The input's first dimension is symbolic: one run may take a batch. */
  readonly dynamicBatch: boolean;
  /**
   * One run: `input` (float32, shape `dims`) in, the named output's values out. With
   * `handOver`, the input's memory moves to the worker instead of being copied (the caller's
   * array is detached afterwards: pass it only for an array nothing else reads).
   */
  run(input: Float32Array, dims: number[], handOver?: boolean): Promise<Float32Array>;
  release(): Promise<void>;
}

export interface SessionIo {
  inputName: string;
  outputName: string;
}

// Plain JavaScript evaluated in the worker (no TypeScript loader there). onnxruntime-node's
// `session.run` is synchronous native code: on the main thread it would stall the event loop
// (no gRPC writes, health answers or progress ticks) for the whole run.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.ortPath);
let session;
const errorText = (e) => (e && e.message ? e.message : String(e));
async function handle(msg) {
  if (msg.kind === 'create') {
    const failures = [];
    for (const attempt of msg.attempts) {
      try {
        session = await ort.InferenceSession.create(msg.path, attempt.options);
        const meta = session.inputMetadata.find((m) => m.name === msg.inputName);
        const dynamicBatch = !!meta && meta.isTensor && typeof meta.shape[0] !== 'number';
        return { provider: attempt.provider, dynamicBatch, failures };
      } catch (e) {
        failures.push({ provider: attempt.provider, message: errorText(e) });
      }
    }
    throw new Error(failures.map((f) => f.message).join('; '));
  }
  if (msg.kind === 'run') {
    const results = await session.run({ [msg.inputName]: new ort.Tensor('float32', msg.input, msg.dims) }, [msg.outputName]);
    const out = results[msg.outputName];
    const data = new Float32Array(out.data);
    for (const t of Object.values(results)) t.dispose();
    return { data, transfer: [data.buffer] };
  }
  if (msg.kind === 'release') {
    if (session) await session.release();
    session = undefined;
    return {};
  }
  throw new Error('unknown message ' + msg.kind);
}
parentPort.on('message', (msg) => {
  handle(msg).then(
    (result) => parentPort.postMessage({ id: msg.id, ok: true, result: { ...result, transfer: undefined } }, result.transfer || []),
    (e) => parentPort.postMessage({ id: msg.id, ok: false, message: errorText(e) }),
  );
});
`;

interface Reply {
  id: number;
  ok: boolean;
  message?: string;
  result?: {
    provider?: ExecutionProvider;
    dynamicBatch?: boolean;
    failures?: { provider: string; message: string }[];
    data?: Float32Array;
  };
}

/** The message channel to one worker thread: request/reply by id, referenced only while a request is pending. */
class WorkerChannel {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve(r: Reply['result']): void; reject(e: Error): void }>();
  private nextId = 1;
  private dead?: Error;

  constructor() {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { ortPath: require.resolve('onnxruntime-node') } });
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.settle(reply.id);
      if (reply.ok) waiting.resolve(reply.result);
      else waiting.reject(new Error(reply.message));
    });
    const fail = (error: Error) => {
      this.dead = error;
      for (const [id, waiting] of this.pending) {
        this.settle(id);
        waiting.reject(error);
      }
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`ONNX Runtime worker exited (${code})`)));
  }

  request(message: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<Reply['result']> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      // Structured clone copies what is not in `transfer`: the caller's arrays stay usable.
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

/**
 * Creates a model's session on a worker thread of its own (the same provider fallback as
 * `createOnnxSession`: `cuda` falls back to the CPU with a warning). Runs of one session are
 * serialised by the scheduler; the main thread stays free to stream, answer health checks
 * and tick progress while the model runs.
 */
export async function createWorkerSession(
  path: string,
  io: SessionIo,
  settings: SessionSettings,
  logger?: SessionLogger,
): Promise<ModelSession> {
  const channel = new WorkerChannel();
  const providers: ExecutionProvider[] = settings.provider === 'cuda' ? ['cuda', 'cpu'] : ['cpu'];
  const attempts = providers.map((provider) => ({ provider, options: sessionOptions(provider, settings.threads) }));
  let created: Reply['result'];
  try {
    created = await channel.request({ kind: 'create', path, inputName: io.inputName, attempts });
  } catch (error) {
    await channel.terminate();
    throw error;
  }
  const cudaFailure = created?.failures?.find((f) => f.provider === 'cuda');
  if (cudaFailure)
    logger?.warn(
      { err: cudaFailure.message },
      'INFERENCE_PROVIDER=cuda but the CUDA execution provider is not available (install it with ONNXRUNTIME_NODE_INSTALL=cuda12, see apps/inference/README.md); falling back to CPU',
    );
  let released = false;
  return {
    provider: created?.provider ?? 'cpu',
    dynamicBatch: created?.dynamicBatch ?? false,
    async run(input, dims, handOver) {
      const whole =
        handOver && input.byteOffset === 0 && input.byteLength === input.buffer.byteLength && input.buffer instanceof ArrayBuffer;
      const result = await channel.request(
        { kind: 'run', inputName: io.inputName, outputName: io.outputName, input, dims },
        whole ? [input.buffer as ArrayBuffer] : [],
      );
      return result?.data as Float32Array;
    },
    async release() {
      if (released) return;
      released = true;
      await channel.request({ kind: 'release' }).catch(() => undefined);
      await channel.terminate();
    },
  };
}
