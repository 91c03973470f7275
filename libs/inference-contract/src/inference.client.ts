import { credentials, makeClientConstructor, Metadata, status as GrpcStatus, type Client, type ServiceError } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { InferenceClient as GrpcInferenceClient, RemovalMode, type ModelInfo, type RemoveEvent } from './generated/inference.generated';
import { ERROR_CODE_METADATA_KEY, errorCodeFromGrpc, InferenceError } from './inference.errors';
import { STAGE_NAMES, toOutputOptions, toTimings, type StageName, type Timings } from './inference.options';
import type { RemoveOptionsInput } from './remove-options.schema';

export interface InferenceClientOptions {
  /** Server addresses (host:port), e.g. from INFERENCE_URLS; tried healthy-first, in this order. */
  urls: string[] | string;
  /** Default deadline of a RemoveBackground call (ms). */
  deadlineMs?: number;
  /** Deadline of health checks and ListModels (ms). */
  healthDeadlineMs?: number;
  /** How long a health answer is trusted before asking again (ms). */
  healthTtlMs?: number;
  /** Largest message accepted from or sent to a server (bytes); results of 50 MP cut-outs are large. */
  maxMessageBytes?: number;
}

export interface RemoveBackgroundInput {
  image: Buffer | Uint8Array;
  modelId?: string;
  options?: RemoveOptionsInput;
}

export interface RemoveBackgroundCallOptions {
  onProgress?: (stage: StageName, fraction: number) => void;
  signal?: AbortSignal;
  deadlineMs?: number;
}

export interface RemoveBackgroundResult {
  image: Buffer;
  mime: string;
  width: number;
  height: number;
  foregroundFraction: number;
  timings: Timings;
  modelId: string;
  /** The server that answered. */
  address: string;
}

export type ServingState = 'SERVING' | 'NOT_SERVING' | 'UNKNOWN' | 'UNREACHABLE';

interface Endpoint {
  address: string;
  inference: GrpcInferenceClient;
  health: Client & {
    check(
      req: { service: string },
      md: Metadata,
      opts: { deadline: Date },
      cb: (e: ServiceError | null, r?: { status: string }) => void,
    ): void;
  };
  state: ServingState;
  checkedAt: number;
}

const HealthClient = makeClientConstructor(healthService as never, 'grpc.health.v1.Health');

/** Parses INFERENCE_URLS ("host:port,host:port"). */
export function parseInferenceUrls(value: string | string[]): string[] {
  const list = Array.isArray(value) ? value : value.split(',');
  return list.map((u) => u.trim().replace(/^grpc:\/\//, '')).filter(Boolean);
}

/**
 * Typed client of the inference service: deadlines, several servers, healthy-first
 * ordering and failover to the next server on transient failures (unreachable, overloaded)
 * that happen before the server started work. Errors are InferenceError.
 */
export class InferenceClient {
  private readonly endpoints: Endpoint[];
  private readonly deadlineMs: number;
  private readonly healthDeadlineMs: number;
  private readonly healthTtlMs: number;

  constructor(options: InferenceClientOptions) {
    const urls = parseInferenceUrls(options.urls);
    if (urls.length === 0) throw new Error('InferenceClient needs at least one server address');
    this.deadlineMs = options.deadlineMs ?? 120_000;
    this.healthDeadlineMs = options.healthDeadlineMs ?? 2_000;
    this.healthTtlMs = options.healthTtlMs ?? 2_000;
    const max = options.maxMessageBytes ?? 512 * 1024 * 1024;
    // A server that restarts (a supervised child, a rolling deploy) is found again within ~2 s, not after gRPC's default backoff of up to 2 min.
    const reconnect = { 'grpc.initial_reconnect_backoff_ms': 250, 'grpc.max_reconnect_backoff_ms': 2_000 };
    // A 32 MiB HTTP/2 receive window (stream and connection) instead of 64 KiB: a result of several MB arrives without a
    // window-update round trip per 64 KiB (loopback, 2-10 MB PNGs: median transfer 116 -> 84 ms, 2026-11-30, loaded machine).
    const flowControl = { 'grpc-node.flow_control_window': 32 * 1024 * 1024 };
    const channelOptions = { 'grpc.max_receive_message_length': max, 'grpc.max_send_message_length': max, ...reconnect, ...flowControl };
    this.endpoints = urls.map((address) => {
      const inference = new GrpcInferenceClient(address, credentials.createInsecure(), channelOptions);
      // Health checks ride the calls' own channel: SERVING then also means that channel is connected
      // (a second channel could be up while the calls' one still waits out a reconnect backoff).
      const health = new HealthClient(address, credentials.createInsecure(), {
        channelOverride: inference.getChannel(),
      }) as unknown as Endpoint['health'];
      return { address, inference, health, state: 'UNKNOWN' as ServingState, checkedAt: 0 };
    });
  }

  async removeBackground(input: RemoveBackgroundInput, call: RemoveBackgroundCallOptions = {}): Promise<RemoveBackgroundResult> {
    const deadline = Date.now() + (call.deadlineMs ?? this.deadlineMs);
    const request = {
      image: Buffer.from(input.image.buffer, input.image.byteOffset, input.image.byteLength),
      modelId: input.modelId ?? '',
      options: toOutputOptions(input.options),
      // A PNG result then arrives in parts while the server still encodes it (joined in removeOn).
      acceptChunks: true,
    };
    let lastError: InferenceError | undefined;
    for (const endpoint of await this.orderedEndpoints()) {
      if (call.signal?.aborted) throw new InferenceError('CANCELED', 'cancelled by the caller');
      try {
        return await this.removeOn(endpoint, request, call, deadline);
      } catch (error) {
        const e = error as InferenceError & { started?: boolean };
        lastError = e;
        const failover = !e.started && (e.code === 'UNAVAILABLE' || e.code === 'RESOURCE_EXHAUSTED') && Date.now() < deadline;
        if (e.code === 'UNAVAILABLE') this.mark(endpoint, 'UNREACHABLE');
        if (!failover) throw e;
      }
    }
    throw lastError ?? new InferenceError('UNAVAILABLE', 'no inference server available');
  }

  private removeOn(
    endpoint: Endpoint,
    request: Parameters<GrpcInferenceClient['removeBackground']>[0],
    call: RemoveBackgroundCallOptions,
    deadline: number,
  ): Promise<RemoveBackgroundResult> {
    return new Promise((resolve, reject) => {
      let started = false;
      let result: RemoveEvent['result'];
      const chunks: Buffer[] = [];
      let chunkBytes = 0;
      const stream = endpoint.inference.removeBackground(request, new Metadata(), { deadline: new Date(deadline) });
      const onAbort = () => stream.cancel();
      call.signal?.addEventListener('abort', onAbort, { once: true });
      const finish = () => call.signal?.removeEventListener('abort', onAbort);
      stream.on('data', (event: RemoveEvent) => {
        started = true;
        if (event.progress) {
          const stage = STAGE_NAMES[event.progress.stage];
          if (stage) call.onProgress?.(stage, event.progress.fraction);
        }
        if (event.chunk) {
          chunks.push(event.chunk.data);
          chunkBytes += event.chunk.data.length;
        }
        if (event.result) result = event.result;
      });
      stream.on('error', (error: ServiceError) => {
        finish();
        const failure = toInferenceError(error, endpoint.address, call.signal?.aborted) as InferenceError & { started?: boolean };
        failure.started = started;
        reject(failure);
      });
      stream.on('end', () => {
        finish();
        if (!result)
          return reject(
            new InferenceError('INTERNAL_ERROR', `${endpoint.address} ended the stream without a result`, undefined, endpoint.address),
          );
        const image = chunks.length ? Buffer.concat(chunks, chunkBytes) : result.image;
        if (image.length !== result.imageSize || (chunks.length && result.image.length))
          return reject(
            new InferenceError(
              'INTERNAL_ERROR',
              `${endpoint.address} sent ${image.length} image bytes (${chunks.length} chunks, ${result.image.length} whole) for an image of ${result.imageSize}`,
              undefined,
              endpoint.address,
            ),
          );
        // HIGH costs twice STANDARD: a server older than modes ignores the field and runs one pass (its
        // result has no mode). Such a result is refused, never passed off as HIGH; another server (or a
        // later attempt, once this one is updated) may run it.
        if (request.options?.mode === RemovalMode.HIGH && result.mode !== RemovalMode.HIGH)
          return reject(
            new InferenceError(
              'UNAVAILABLE',
              `${endpoint.address} ran the photo in one standard pass for a HIGH request: it predates the high-quality mode and needs updating`,
              undefined,
              endpoint.address,
            ),
          );
        resolve({
          image,
          mime: result.mime,
          width: result.width,
          height: result.height,
          foregroundFraction: result.foregroundFraction,
          timings: toTimings(result.timings),
          modelId: result.modelId,
          address: endpoint.address,
        });
      });
    });
  }

  /** The models of the first reachable server. */
  async listModels(): Promise<{ models: ModelInfo[]; defaultModelId: string; address: string }> {
    let lastError: InferenceError | undefined;
    for (const endpoint of await this.orderedEndpoints()) {
      try {
        const response = await new Promise<{ models: ModelInfo[]; defaultModelId: string }>((resolve, reject) =>
          endpoint.inference.listModels({}, new Metadata(), { deadline: new Date(Date.now() + this.healthDeadlineMs) }, (error, res) =>
            error ? reject(toInferenceError(error, endpoint.address)) : resolve(res),
          ),
        );
        return { ...response, address: endpoint.address };
      } catch (error) {
        lastError = error as InferenceError;
        if (!lastError.transient) throw lastError;
      }
    }
    throw lastError ?? new InferenceError('UNAVAILABLE', 'no inference server available');
  }

  /** Asks every server for its health (grpc.health.v1, overall service ""). */
  async checkHealth(): Promise<{ address: string; status: ServingState }[]> {
    await Promise.all(this.endpoints.map((e) => this.refresh(e)));
    return this.endpoints.map((e) => ({ address: e.address, status: e.state }));
  }

  /** True when at least one server is SERVING. */
  async isHealthy(): Promise<boolean> {
    return (await this.checkHealth()).some((h) => h.status === 'SERVING');
  }

  close(): void {
    // One channel per endpoint, shared by its health client.
    for (const e of this.endpoints) e.inference.close();
  }

  private async orderedEndpoints(): Promise<Endpoint[]> {
    const now = Date.now();
    if (this.endpoints.length > 1)
      await Promise.all(this.endpoints.filter((e) => now - e.checkedAt > this.healthTtlMs).map((e) => this.refresh(e)));
    const rank = (s: ServingState) => (s === 'SERVING' ? 0 : s === 'UNKNOWN' ? 1 : s === 'NOT_SERVING' ? 2 : 3);
    return [...this.endpoints].sort((a, b) => rank(a.state) - rank(b.state));
  }

  private refresh(endpoint: Endpoint): Promise<void> {
    return new Promise((resolve) => {
      endpoint.health.check(
        { service: '' },
        new Metadata(),
        { deadline: new Date(Date.now() + this.healthDeadlineMs) },
        (error, response) => {
          this.mark(
            endpoint,
            error
              ? 'UNREACHABLE'
              : response?.status === 'SERVING'
                ? 'SERVING'
                : response?.status === 'NOT_SERVING'
                  ? 'NOT_SERVING'
                  : 'UNKNOWN',
          );
          resolve();
        },
      );
    });
  }

  private mark(endpoint: Endpoint, state: ServingState): void {
    endpoint.state = state;
    endpoint.checkedAt = Date.now();
  }
}

function toInferenceError(error: ServiceError, address: string, abortedByCaller = false): InferenceError {
  if (abortedByCaller) return new InferenceError('CANCELED', 'cancelled by the caller', error.code, address);
  // CANCELLED with no error-code trailer, though the caller did not cancel: the server (or the connection to it)
  // ended the call, as a server stopping past its grace does. A retry may succeed: UNAVAILABLE, not CANCELED.
  if (error.code === GrpcStatus.CANCELLED && !error.metadata?.get(ERROR_CODE_METADATA_KEY).length)
    return new InferenceError(
      'UNAVAILABLE',
      `${address} ended the call (${error.details || 'cancelled'}) though it was not cancelled here`,
      error.code,
      address,
    );
  const trailer = error.metadata?.get(ERROR_CODE_METADATA_KEY)[0];
  const code = errorCodeFromGrpc(error.code, typeof trailer === 'string' ? trailer : undefined, error.details);
  return new InferenceError(code, `${error.details || error.message} (${address})`, error.code, address);
}
