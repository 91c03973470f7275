import type { sendUnaryData, ServerUnaryCall, ServerWritableStream } from '@grpc/grpc-js';
import type { InferenceServer, ListModelsRequest, ListModelsResponse, RemoveEvent, RemoveRequest } from '@cutout/inference-contract';
import type { ModelRegistry } from '../models/model-registry';
import type { RemoveBackgroundService } from '../pipeline/remove-background.service';
import { CallOutbox, resetCall, STALLED_CALL_RESET_CODE } from './call-outbox';
import { toGrpcStatus } from './grpc-errors';

export interface HandlerLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface HandlerOptions {
  /** INFERENCE_STALL_TIMEOUT_MS: how long a call's writes may wait for its client to read before the call is reset. */
  stallTimeoutMs: number;
}

/** The Inference service's gRPC handlers: thin adapters over RemoveBackgroundService and ModelRegistry. */
export function createInferenceHandlers(
  service: RemoveBackgroundService,
  registry: ModelRegistry,
  logger: HandlerLogger,
  { stallTimeoutMs }: HandlerOptions,
): InferenceServer {
  return {
    removeBackground(call: ServerWritableStream<RemoveRequest, RemoveEvent>) {
      const controller = new AbortController();
      // Fired when the client cancels, the deadline passes or the call is reset: the pipeline stops.
      call.on('cancelled', () => controller.abort());
      // A client that takes nothing for stallTimeoutMs while writes wait is reset (RESOURCE_EXHAUSTED): its slot comes back.
      const outbox = new CallOutbox<RemoveEvent>(call, stallTimeoutMs, (pendingWrites) => {
        logger.warn(
          { stallMs: stallTimeoutMs, pendingWrites },
          'client did not read its result within INFERENCE_STALL_TIMEOUT_MS; call reset (RESOURCE_EXHAUSTED)',
        );
        if (!resetCall(call, STALLED_CALL_RESET_CODE))
          logger.error(
            {},
            'could not reset a stalled call (grpc-js internals changed); its slot stays held until the client reads or leaves',
          );
      });
      const started = performance.now();
      service
        .removeBackground(
          call.request,
          (stage, fraction) => outbox.write({ progress: { stage, fraction }, result: undefined, chunk: undefined }),
          controller.signal,
          // Only used when the client set accept_chunks: the PNG's parts go out while the rows below are encoded.
          (data) => outbox.write({ progress: undefined, result: undefined, chunk: { data } }),
          // The request keeps its slot until what it wrote has drained to the client (or the call ended early):
          // a client that does not read cannot make the server hold more than INFERENCE_QUEUE_DEPTH results.
          outbox.drained,
        )
        .then((result) => {
          if (call.cancelled) return;
          outbox.write({ progress: undefined, result, chunk: undefined });
          call.end();
          logger.info(
            {
              model: result.modelId,
              bytes: call.request.image.length,
              out: result.imageSize,
              ms: Math.round(performance.now() - started),
            },
            'removed background',
          );
        })
        .catch((error: unknown) => {
          const status = toGrpcStatus(error);
          if (status.code === 13) logger.error({ err: error }, 'remove background failed');
          else logger.info({ code: status.details }, 'request refused');
          if (!call.cancelled) call.emit('error', status);
        });
    },

    listModels(_call: ServerUnaryCall<ListModelsRequest, ListModelsResponse>, callback: sendUnaryData<ListModelsResponse>) {
      callback(null, { models: registry.list(), defaultModelId: registry.defaultModelId });
    },
  };
}
