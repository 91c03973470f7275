import { InferenceFailure, InferenceGateway, type InferenceHealth, type RemoveBackgroundCallOptions, type RemoveBackgroundInput, type RemoveBackgroundResult } from './inference.gateway';

/** Scriptable gateway for unit tests: answers with `result` or throws `failure`. */
export class FakeInferenceGateway extends InferenceGateway {
  calls: RemoveBackgroundInput[] = [];
  failure?: InferenceFailure;
  models: string[] | null = ['medium', 'small'];
  serving = true;

  async removeBackground(input: RemoveBackgroundInput, call: RemoveBackgroundCallOptions): Promise<RemoveBackgroundResult> {
    this.calls.push(input);
    if (this.failure) throw this.failure;
    for (const stage of ['decoded', 'inference', 'encoded'] as const) call.onProgress?.(stage, 1);
    return {
      image: Buffer.from('fake-png'),
      mime: 'image/png',
      width: 10,
      height: 10,
      foregroundFraction: 0.5,
      timings: { decodeMs: 1, queueMs: 0, inferenceMs: 5, refineMs: 0, encodeMs: 1, totalMs: 7 },
      modelId: input.modelId ?? 'medium',
      address: 'fake',
    };
  }

  async modelIds(): Promise<string[] | null> {
    return this.models;
  }

  async health(): Promise<InferenceHealth> {
    return { healthy: this.serving ? 1 : 0, total: 1 };
  }

  closed = false;

  close(): void {
    this.closed = true;
  }
}
