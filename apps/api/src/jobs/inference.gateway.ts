import { InferenceClient, InferenceError, type RemoveBackgroundCallOptions, type RemoveBackgroundInput, type RemoveBackgroundResult } from '@cutout/inference-contract';
import { JobErrorCode } from './job-error-codes';

export type { RemoveBackgroundCallOptions, RemoveBackgroundInput, RemoveBackgroundResult };

/** A failed inference, already translated into a job error code. */
export class InferenceFailure extends Error {
  constructor(
    readonly code: JobErrorCode,
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
    this.name = 'InferenceFailure';
  }
}

/** Port to the inference service (gRPC in production, a fake in unit tests). */
export abstract class InferenceGateway {
  abstract removeBackground(input: RemoveBackgroundInput, call: RemoveBackgroundCallOptions): Promise<RemoveBackgroundResult>;
  /** Model ids the service knows, or null when no server answers. */
  abstract modelIds(): Promise<string[] | null>;
  abstract close(): void;

  onModuleDestroy(): void {
    this.close();
  }
}

const CODE_OF: Record<string, JobErrorCode> = {
  INVALID_ARGUMENT: JobErrorCode.INVALID_OPTIONS,
  MODEL_NOT_FOUND: JobErrorCode.INVALID_OPTIONS,
  UNSUPPORTED_IMAGE: JobErrorCode.UNSUPPORTED_IMAGE,
  IMAGE_TOO_LARGE: JobErrorCode.IMAGE_TOO_LARGE,
  UNAVAILABLE: JobErrorCode.INFERENCE_UNAVAILABLE,
  DEADLINE_EXCEEDED: JobErrorCode.INFERENCE_TIMEOUT,
  RESOURCE_EXHAUSTED: JobErrorCode.INFERENCE_BUSY,
  CANCELLED: JobErrorCode.CANCELED,
};

/** The real gateway: the typed gRPC client with deadlines and healthy-first failover. */
export class GrpcInferenceGateway extends InferenceGateway {
  private readonly client: InferenceClient;
  private models?: { ids: string[]; at: number };

  constructor(urls: string, deadlineMs: number) {
    super();
    this.client = new InferenceClient({ urls, deadlineMs });
  }

  async removeBackground(input: RemoveBackgroundInput, call: RemoveBackgroundCallOptions): Promise<RemoveBackgroundResult> {
    try {
      return await this.client.removeBackground(input, call);
    } catch (error) {
      if (error instanceof InferenceError) throw new InferenceFailure(CODE_OF[error.code] ?? JobErrorCode.INTERNAL_ERROR, error.message, error.transient);
      throw new InferenceFailure(JobErrorCode.INTERNAL_ERROR, 'The inference call failed unexpectedly.', false);
    }
  }

  async modelIds(): Promise<string[] | null> {
    if (this.models && Date.now() - this.models.at < 60_000) return this.models.ids;
    try {
      const { models } = await this.client.listModels();
      this.models = { ids: models.map((m) => m.id), at: Date.now() };
      return this.models.ids;
    } catch {
      return null;
    }
  }

  close(): void {
    this.client.close();
  }
}
