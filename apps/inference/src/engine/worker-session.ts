import { WorkerChannel, type WorkerReply } from './worker-channel';
import { sessionOptions, type ExecutionProvider, type SessionLogger, type SessionSettings } from './onnx-session';

/** A model's ONNX Runtime session, living on its own worker thread. */
export interface ModelSession {
  readonly provider: ExecutionProvider;
  /** The input's first dimension is symbolic: one run may take a batch. */
  readonly dynamicBatch: boolean;
  /**
   * One run: `input` (float32, shape `dims`) in, the named output's values out. With
   * `handOver`, the input's memory moves to the worker instead of being copied (the caller's
   * array is detached afterwards: pass it only for an array nothing else reads), and the output
   * comes back written into that same memory when it fits (`inInput`: a view from offset 0 of the
   * input's ArrayBuffer): the caller may reuse that memory once it has read the output.
   */
  run(input: Float32Array, dims: number[], handOver?: boolean): Promise<{ values: Float32Array; inInput: boolean }>;
  release(): Promise<void>;
  /** Set once the worker thread has died (a fatal error, out of memory, terminated, released): no run can succeed. */
  readonly dead: Error | undefined;
  /** Calls `listener` once if the worker dies other than by `release` (at once if it already has), before its runs are failed. */
  onDeath(listener: (error: Error) => void): void;
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
    // A handed-over input's memory is free after the run: the output goes back in it (no new
    // memory to fault in on this thread, and the caller can reuse it); otherwise into a new array.
    const inPlace = msg.handedOver && out.data.byteLength <= msg.input.buffer.byteLength;
    const data = inPlace ? new Float32Array(msg.input.buffer, 0, out.data.length) : new Float32Array(out.data.length);
    data.set(out.data);
    for (const t of Object.values(results)) t.dispose();
    return { data, inInput: inPlace, transfer: [data.buffer] };
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

interface Reply extends WorkerReply {
  result?: {
    provider?: ExecutionProvider;
    dynamicBatch?: boolean;
    failures?: { provider: string; message: string }[];
    data?: Float32Array;
    inInput?: boolean;
  };
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
  const channel = new WorkerChannel<Reply>(WORKER_SOURCE, { ortPath: require.resolve('onnxruntime-node') }, 'ONNX Runtime worker');
  const providers: ExecutionProvider[] = settings.provider === 'cuda' ? ['cuda', 'cpu'] : ['cpu'];
  const attempts = providers.map((provider) => ({ provider, options: sessionOptions(provider, settings.threads) }));
  let created: Reply['result'];
  try {
    created = (await channel.request({ kind: 'create', path, inputName: io.inputName, attempts })).result;
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
    get dead() {
      return channel.dead;
    },
    onDeath(listener) {
      channel.onDeath((error) => {
        if (!released) listener(error);
      });
    },
    async run(input, dims, handOver) {
      const whole =
        handOver && input.byteOffset === 0 && input.byteLength === input.buffer.byteLength && input.buffer instanceof ArrayBuffer;
      const { result } = await channel.request(
        { kind: 'run', inputName: io.inputName, outputName: io.outputName, input, dims, handedOver: whole },
        whole ? [input.buffer as ArrayBuffer] : [],
      );
      return { values: result?.data as Float32Array, inInput: result?.inInput === true };
    },
    async release() {
      if (released) return;
      released = true;
      await channel.request({ kind: 'release' }).catch(() => undefined);
      await channel.terminate();
    },
  };
}
