import type { sendUnaryData, ServerUnaryCall, ServerWritableStream } from '@grpc/grpc-js';
import type { InferenceServer, ListModelsRequest, ListModelsResponse, RemoveEvent, RemoveRequest } from '@cutout/inference-contract';
import type { ModelRegistry } from '../models/model-registry';
import type { RemoveBackgroundService } from '../pipeline/remove-background.service';
import { CallOutbox, resetCall, STALLED_CALL_RESET_CODE } from './call-outbox';
import { InferenceFailure } from '../errors/inference-failure';
import { toGrpcStatus } from './grpc-errors';

export interface HandlerLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface HandlerOptions {
  /** INFERENCE_STALL_TIMEOUT_MS: how long a call's writes may wait for its client to read before the call is reset. */
  stallTimeoutMs: number;
  /**
   * Aborted when the server stops past its grace: every call still running is stopped and answered
   * UNAVAILABLE (transient, with the error-code trailer), so its client tries again elsewhere or later.
   */
  stopping?: AbortSignal;
}

/** The Inference service's gRPC handlers: thin adapters over RemoveBackgroundService and ModelRegistry. */
export function createInferenceHandlers(
  service: RemoveBackgroundService,
  registry: ModelRegistry,
  logger: HandlerLogger,
  { stallTimeoutMs, stopping }: HandlerOptions,
): InferenceServer {
  return {
    removeBackground(call: ServerWritableStream<RemoveRequest, RemoveEvent>) {
      const controller = new AbortController();
      // Fired when the client cancels, the deadline passes or the call is reset: the pipeline stops.
      call.on('cancelled', () => controller.abort());
      // Set once the call has its end (a result, a status): nothing else is sent.
      let answered = false;
      const answer = (status: ReturnType<typeof toGrpcStatus>) => {
        if (answered) return;
        answered = true;
        stopping?.removeEventListener('abort', onStop);
        if (!call.cancelled) call.emit('error', status);
      };
      // The server stops past its grace: the pipeline stops and the client hears UNAVAILABLE, not a bare CANCELLED.
      const onStop = () => {
        controller.abort();
        answer(toGrpcStatus(new InferenceFailure('UNAVAILABLE', 'the inference server is shutting down; try again')));
      };
      stopping?.addEventListener('abort', onStop, { once: true });
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
          if (call.cancelled || answered) return;
          answered = true;
          stopping?.removeEventListener('abort', onStop);
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
          if (answered) return;
          const status = toGrpcStatus(error);
          if (status.code === 13) logger.error({ err: error }, 'remove background failed');
          else logger.info({ code: status.details }, 'request refused');
          answer(status);
        })
        // However the call ended (answered, cancelled, refused), it no longer listens for the server's stop.
        .finally(() => stopping?.removeEventListener('abort', onStop));
    },

    listModels(_call: ServerUnaryCall<ListModelsRequest, ListModelsResponse>, callback: sendUnaryData<ListModelsResponse>) {
      callback(null, { models: registry.list(), defaultModelId: registry.defaultModelId });
    },
  };
}
