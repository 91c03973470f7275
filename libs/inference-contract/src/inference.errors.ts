import { status as GrpcStatus } from '@grpc/grpc-js';
import { INFERENCE_ERROR_CODES, type InferenceErrorCode } from './error-code-map';

/** gRPC trailer metadata key carrying the InferenceErrorCode of a failed call. */
export const ERROR_CODE_METADATA_KEY = 'cutout-error-code';

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
export function errorCodeFromGrpc(code: GrpcStatus, trailer?: string, details?: string): InferenceErrorCode {
  if (trailer && (INFERENCE_ERROR_CODES as readonly string[]).includes(trailer)) return trailer as InferenceErrorCode;
  // grpc-js's own refusal of a request past the server's receive limit (INFERENCE_MAX_BYTES + 1 MiB):
  // no trailer, and not a busy server: the image is too large for it, and for every other.
  if (code === GrpcStatus.RESOURCE_EXHAUSTED && details && /message larger than max/i.test(details)) return 'IMAGE_TOO_LARGE';
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
      return 'CANCELED';
    case GrpcStatus.UNAVAILABLE:
      return 'UNAVAILABLE';
    default:
      return 'INTERNAL_ERROR';
  }
}
