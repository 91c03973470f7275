import { JobErrorCode } from '@cutout/job-vocabulary';
import { JobFailure } from '../job-failure';
import {
  InferenceGateway,
  type InferenceHealth,
  type InferenceModel,
  type RemoveBackgroundCallOptions,
  type RemoveBackgroundInput,
  type RemoveBackgroundResult,
} from './inference.gateway';

/** Scriptable gateway for unit tests: answers with `result` or throws `failure`. */
export class FakeInferenceGateway extends InferenceGateway {
  calls: RemoveBackgroundInput[] = [];
  failure?: JobFailure;
  /** The ids `models()` answers (the first is the default), or null: no server answers. */
  modelIdList: string[] | null = ['medium', 'small'];
  serving = true;
  /** When set, a call is held until its signal aborts, then fails as the real client's does (CANCELED); called when the call starts. */
  holdUntilAborted?: () => void;

  async removeBackground(input: RemoveBackgroundInput, call: RemoveBackgroundCallOptions): Promise<RemoveBackgroundResult> {
    this.calls.push(input);
    if (this.failure) throw this.failure;
    if (this.holdUntilAborted) {
      const started = this.holdUntilAborted;
      await new Promise<never>((_, reject) => {
        call.signal?.addEventListener('abort', () => reject(new JobFailure(JobErrorCode.CANCELED, 'The inference call was canceled.')), {
          once: true,
        });
        started();
      });
    }
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

  async models(): Promise<InferenceModel[] | null> {
    return (
      this.modelIdList?.map((id, i) => ({
        id,
        name: id,
        inputWidth: 320,
        inputHeight: 320,
        licence: 'Apache-2.0',
        available: true,
        isDefault: i === 0,
      })) ?? null
    );
  }

  async health(): Promise<InferenceHealth> {
    return { healthy: this.serving ? 1 : 0, total: 1 };
  }

  closed = false;

  close(): void {
    this.closed = true;
  }
}
