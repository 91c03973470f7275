import {
  InferenceClient,
  InferenceError,
  jobErrorCodeOf,
  type RemoveBackgroundCallOptions,
  type RemoveBackgroundInput,
  type RemoveBackgroundResult,
} from '@cutout/inference-contract';
import { JobErrorCode } from '@cutout/job-vocabulary';
import { JobFailure } from '../job-failure';

export type { RemoveBackgroundCallOptions, RemoveBackgroundInput, RemoveBackgroundResult };

/** A model as the inference service lists it. */
export interface InferenceModel {
  id: string;
  name: string;
  inputWidth: number;
  inputHeight: number;
  licence: string;
  available: boolean;
  isDefault: boolean;
}

export interface InferenceHealth {
  healthy: number;
  total: number;
}

/** Port to the inference service (gRPC in production, a fake in unit tests). */
export abstract class InferenceGateway {
  abstract removeBackground(input: RemoveBackgroundInput, call: RemoveBackgroundCallOptions): Promise<RemoveBackgroundResult>;
  /** The models the service knows, or null when no server answers. */
  abstract models(): Promise<InferenceModel[] | null>;

  /** Model ids the service knows, or null when no server answers. */
  async modelIds(): Promise<string[] | null> {
    return (await this.models())?.map((m) => m.id) ?? null;
  }
  /** How many of the configured inference servers answer SERVING. */
  abstract health(): Promise<InferenceHealth>;
  abstract close(): void;

  /**
   * Waits until at least one server is SERVING (a restarting server, a model still loading),
   * at most `maxWaitMs`: true when one is, false when the wait ran out or `signal` aborted.
   */
  async waitUntilHealthy(maxWaitMs: number, signal?: AbortSignal): Promise<boolean> {
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      if ((await this.health()).healthy > 0) return true;
      const left = deadline - Date.now();
      if (left <= 0 || signal?.aborted) return false;
      await new Promise((r) => setTimeout(r, Math.min(500, left)));
    }
  }

  onModuleDestroy(): void {
    this.close();
  }
}

/**
 * Job errors are shown to the team: failures of the service itself get our own words (never a
 * server's address or gRPC's details); refusals of the request keep the server's explanation.
 */
const OWN_MESSAGE: Partial<Record<JobErrorCode, string>> = {
  INFERENCE_UNAVAILABLE: 'No inference server is available.',
  INFERENCE_TIMEOUT: 'The inference service did not finish within the deadline.',
  INFERENCE_BUSY: 'Every inference server is busy.',
  CANCELED: 'The inference call was canceled.',
  INTERNAL_ERROR: 'The inference service failed.',
};

const withoutAddress = (error: InferenceError) => (error.address ? error.message.replace(` (${error.address})`, '') : error.message);

/** The real gateway: the typed gRPC client with deadlines and healthy-first failover; a failed call throws a JobFailure. */
export class GrpcInferenceGateway extends InferenceGateway {
  private readonly client: InferenceClient;
  private modelList?: { models: InferenceModel[]; at: number };
  private lastHealth?: InferenceHealth & { at: number };

  constructor(urls: string, deadlineMs: number) {
    super();
    this.client = new InferenceClient({ urls, deadlineMs });
  }

  async removeBackground(input: RemoveBackgroundInput, call: RemoveBackgroundCallOptions): Promise<RemoveBackgroundResult> {
    try {
      return await this.client.removeBackground(input, call);
    } catch (error) {
      // A server just lost: the next health question is asked, not answered from the cache.
      if (error instanceof InferenceError && error.code === 'UNAVAILABLE') this.lastHealth = undefined;
      if (error instanceof InferenceError) {
        const code = jobErrorCodeOf(error.code);
        throw new JobFailure(code, OWN_MESSAGE[code] ?? withoutAddress(error), error.transient);
      }
      throw new JobFailure(JobErrorCode.INTERNAL_ERROR, 'The inference call failed unexpectedly.');
    }
  }

  /** Asked at most once a minute (every job submission with a model checks it). */
  async models(): Promise<InferenceModel[] | null> {
    if (this.modelList && Date.now() - this.modelList.at < 60_000) return this.modelList.models;
    try {
      const { models, defaultModelId } = await this.client.listModels();
      this.modelList = {
        models: models.map((m) => ({
          id: m.id,
          name: m.name,
          inputWidth: m.inputWidth,
          inputHeight: m.inputHeight,
          licence: m.licence,
          available: m.available,
          isDefault: m.isDefault || m.id === defaultModelId,
        })),
        at: Date.now(),
      };
      return this.modelList.models;
    } catch {
      return null;
    }
  }

  async health(): Promise<InferenceHealth> {
    // A positive answer is trusted for a second: every job start asks.
    if (this.lastHealth && this.lastHealth.healthy > 0 && Date.now() - this.lastHealth.at < 1_000) return this.lastHealth;
    const servers = await this.client.checkHealth();
    this.lastHealth = { healthy: servers.filter((s) => s.status === 'SERVING').length, total: servers.length, at: Date.now() };
    return this.lastHealth;
  }

  close(): void {
    this.client.close();
  }
}
