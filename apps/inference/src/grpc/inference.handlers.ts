import type { sendUnaryData, ServerUnaryCall, ServerWritableStream } from '@grpc/grpc-js';
import type { InferenceServer, ListModelsRequest, ListModelsResponse, RemoveEvent, RemoveRequest } from '@cutout/inference-contract';
import type { ModelRegistry } from '../models/model-registry';
import type { RemoveBackgroundService } from '../pipeline/remove-background.service';
import { toGrpcStatus } from './grpc-errors';

export interface HandlerLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** The Inference service's gRPC handlers: thin adapters over RemoveBackgroundService and ModelRegistry. */
export function createInferenceHandlers(service: RemoveBackgroundService, registry: ModelRegistry, logger: HandlerLogger): InferenceServer {
  return {
    removeBackground(call: ServerWritableStream<RemoveRequest, RemoveEvent>) {
      const controller = new AbortController();
      // Fired when the client cancels or the deadline passes: frees the request's slot.
      call.on('cancelled', () => controller.abort());
      const started = performance.now();
      service
        .removeBackground(
          call.request,
          (stage, fraction) => {
            if (!call.cancelled) call.write({ progress: { stage, fraction }, result: undefined, chunk: undefined });
          },
          controller.signal,
          // Only used when the client set accept_chunks: the PNG's parts go out while the rows below are encoded.
          (data) => {
            if (!call.cancelled) call.write({ progress: undefined, result: undefined, chunk: { data } });
          },
        )
        .then((result) => {
          if (call.cancelled) return;
          call.write({ progress: undefined, result, chunk: undefined });
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
