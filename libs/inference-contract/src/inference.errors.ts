import { status as GrpcStatus } from '@grpc/grpc-js';

/** Machine-readable error codes shared by the inference server and its clients. */
export const INFERENCE_ERROR_CODES = [
  'INVALID_ARGUMENT',
  'UNSUPPORTED_IMAGE',
  'IMAGE_TOO_LARGE',
  'MODEL_NOT_FOUND',
  'UNAVAILABLE',
  'DEADLINE_EXCEEDED',
  'RESOURCE_EXHAUSTED',
  'CANCELLED',
  'INTERNAL',
] as const;
export type InferenceErrorCode = (typeof INFERENCE_ERROR_CODES)[number];

/** gRPC trailer metadata key carrying the InferenceErrorCode of a failed call. */
export const ERROR_CODE_METADATA_KEY = 'cutout-error-code';

/** The gRPC status the server answers for each code. */
export const GRPC_STATUS_OF: Record<InferenceErrorCode, GrpcStatus> = {
  INVALID_ARGUMENT: GrpcStatus.INVALID_ARGUMENT,
  UNSUPPORTED_IMAGE: GrpcStatus.INVALID_ARGUMENT,
  IMAGE_TOO_LARGE: GrpcStatus.INVALID_ARGUMENT,
  MODEL_NOT_FOUND: GrpcStatus.NOT_FOUND,
  UNAVAILABLE: GrpcStatus.UNAVAILABLE,
  DEADLINE_EXCEEDED: GrpcStatus.DEADLINE_EXCEEDED,
  RESOURCE_EXHAUSTED: GrpcStatus.RESOURCE_EXHAUSTED,
  CANCELLED: GrpcStatus.CANCELLED,
  INTERNAL: GrpcStatus.INTERNAL,
};

const TRANSIENT: ReadonlySet<InferenceErrorCode> = new Set(['UNAVAILABLE', 'RESOURCE_EXHAUSTED', 'DEADLINE_EXCEEDED']);

/** A failed inference call, translated from gRPC. `transient` says a retry may succeed. */
export class InferenceError extends Error {
  readonly transient: boolean;
  constructor(
    readonly code: InferenceErrorCode,
    message: string,
    readonly grpcCode?: GrpcStatus,
    readonly address?: string,
  ) {
    super(message);
    this.name = 'InferenceError';
    this.transient = TRANSIENT.has(code);
  }
}

/** Maps a gRPC status (and the server's error-code trailer, when present) to an InferenceErrorCode. */
export function errorCodeFromGrpc(code: GrpcStatus, trailer?: string): InferenceErrorCode {
  if (trailer && (INFERENCE_ERROR_CODES as readonly string[]).includes(trailer)) return trailer as InferenceErrorCode;
  switch (code) {
    case GrpcStatus.INVALID_ARGUMENT:
    case GrpcStatus.OUT_OF_RANGE:
      return 'INVALID_ARGUMENT';
    case GrpcStatus.NOT_FOUND:
      return 'MODEL_NOT_FOUND';
    case GrpcStatus.DEADLINE_EXCEEDED:
      return 'DEADLINE_EXCEEDED';
    case GrpcStatus.RESOURCE_EXHAUSTED:
      return 'RESOURCE_EXHAUSTED';
    case GrpcStatus.CANCELLED:
      return 'CANCELLED';
    case GrpcStatus.UNAVAILABLE:
      return 'UNAVAILABLE';
    default:
      return 'INTERNAL';
  }
}
