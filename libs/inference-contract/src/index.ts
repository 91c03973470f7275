export * from './generated/inference.generated';
export { InferenceClient as InferenceGrpcClient } from './generated/inference.generated';
export { InferenceClient, parseInferenceUrls } from './inference.client';
export type { InferenceClientOptions, RemoveBackgroundInput, RemoveBackgroundCallOptions, RemoveBackgroundResult, ServingState } from './inference.client';
export { InferenceError, INFERENCE_ERROR_CODES, ERROR_CODE_METADATA_KEY, GRPC_STATUS_OF, errorCodeFromGrpc } from './inference.errors';
export type { InferenceErrorCode } from './inference.errors';
export { toOutputOptions, toTimings, STAGE_NAMES } from './inference.options';
export type { RemoveOptionsInput, StageName, Timings } from './inference.options';
