import * as ort from 'onnxruntime-node';

export type ExecutionProvider = 'cpu' | 'cuda';

export interface SessionSettings {
  provider: ExecutionProvider;
  threads: number;
}

export interface SessionLogger {
  warn(obj: object, msg: string): void;
}

export interface CreatedSession {
  session: ort.InferenceSession;
  provider: ExecutionProvider;
}

export function sessionOptions(provider: ExecutionProvider, threads: number): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: provider === 'cuda' ? ['cuda', 'cpu'] : ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    enableCpuMemArena: true,
    enableMemPattern: true,
    // Idle intra-op threads block instead of spinning, so decoding/encoding other requests
    // next to a model run does not starve it (oversubscribed spinning slows both).
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  };
}

/**
 * One ONNX Runtime session for a model file. `cuda` needs the CUDA provider library next to
 * onnxruntime-node's binary (see apps/inference/README.md); without it the session falls
 * back to the CPU with a warning instead of failing.
 */
export async function createOnnxSession(path: string, settings: SessionSettings, logger?: SessionLogger): Promise<CreatedSession> {
  if (settings.provider === 'cuda') {
    try {
      return { session: await ort.InferenceSession.create(path, sessionOptions('cuda', settings.threads)), provider: 'cuda' };
    } catch (error) {
      logger?.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'INFERENCE_PROVIDER=cuda but the CUDA execution provider is not available (install it with ONNXRUNTIME_NODE_INSTALL=cuda12, see apps/inference/README.md); falling back to CPU',
      );
    }
  }
  return { session: await ort.InferenceSession.create(path, sessionOptions('cpu', settings.threads)), provider: 'cpu' };
}

export { ort };
