export * from './generated/inference.generated';
export { InferenceClient as InferenceGrpcClient } from './generated/inference.generated';
export { InferenceClient, parseInferenceUrls } from './inference.client';
export type {
  InferenceClientOptions,
  RemoveBackgroundInput,
  RemoveBackgroundCallOptions,
  RemoveBackgroundResult,
  ServingState,
} from './inference.client';
export { InferenceError, ERROR_CODE_METADATA_KEY, errorCodeFromGrpc } from './inference.errors';
export {
  INFERENCE_ERROR_CODES,
  INFERENCE_ERROR_MAP,
  GRPC_STATUS_OF,
  JOB_ERROR_MAP,
  jobErrorCodeOf,
  apiErrorCodeOf,
} from './error-code-map';
export type { InferenceErrorCode } from './error-code-map';
export { toOutputOptions, fromOutputOptions, toTimings, STAGE_NAMES } from './inference.options';
export type { StageName, Timings } from './inference.options';
export {
  removeOptionsSchema,
  checkRemoveOptions,
  isOpaqueHex,
  MAX_OUTPUT_MEGAPIXELS,
  MAX_CROP_MARGIN_PX,
  REMOVAL_MODES,
} from './remove-options.schema';
export type {
  RemoveOptionsInput,
  ParsedRemoveOptions,
  RemoveOptionsCheck,
  RemoveOptionsIssue,
  RemovalModeName,
} from './remove-options.schema';
export { REMOVE_OPTIONS_CASES } from './remove-options.cases';
export type { RemoveOptionsCase } from './remove-options.cases';
export { INFERENCE_MALLOC_TUNABLES, INFERENCE_V8_FLAGS, inferenceNodeArgs, inferenceProcessEnv } from './inference-process';
