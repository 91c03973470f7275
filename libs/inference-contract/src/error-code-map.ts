import { status as GrpcStatus } from '@grpc/grpc-js';
import { ApiErrorCode, JobErrorCode } from '@cutout/job-vocabulary';

/**
 * The one mapping between the three code lists (the README's "Errors" section shows it as a table):
 * - the inference service's codes (this contract; sent in the `cutout-error-code` trailer),
 *   each answered with one gRPC status;
 * - the job error codes (Job.error.code, public), which the API records when a call fails;
 * - the API's error codes (GraphQL `extensions.code` and REST bodies, public), for the same
 *   problem found while the request is still being answered.
 * One spelling per code: CANCELED (gRPC's own status keeps its CANCELLED), INTERNAL_ERROR inside
 * and for jobs, INTERNAL_SERVER_ERROR only where the API answers a request.
 */
export const INFERENCE_ERROR_MAP = {
  INVALID_ARGUMENT: { grpc: GrpcStatus.INVALID_ARGUMENT, job: JobErrorCode.INVALID_OPTIONS },
  UNSUPPORTED_IMAGE: { grpc: GrpcStatus.INVALID_ARGUMENT, job: JobErrorCode.UNSUPPORTED_IMAGE },
  IMAGE_TOO_LARGE: { grpc: GrpcStatus.INVALID_ARGUMENT, job: JobErrorCode.IMAGE_TOO_LARGE },
  MODEL_NOT_FOUND: { grpc: GrpcStatus.NOT_FOUND, job: JobErrorCode.INVALID_OPTIONS },
  UNAVAILABLE: { grpc: GrpcStatus.UNAVAILABLE, job: JobErrorCode.INFERENCE_UNAVAILABLE },
  DEADLINE_EXCEEDED: { grpc: GrpcStatus.DEADLINE_EXCEEDED, job: JobErrorCode.INFERENCE_TIMEOUT },
  RESOURCE_EXHAUSTED: { grpc: GrpcStatus.RESOURCE_EXHAUSTED, job: JobErrorCode.INFERENCE_BUSY },
  CANCELED: { grpc: GrpcStatus.CANCELLED, job: JobErrorCode.CANCELED },
  INTERNAL_ERROR: { grpc: GrpcStatus.INTERNAL, job: JobErrorCode.INTERNAL_ERROR },
} as const satisfies Record<string, { grpc: GrpcStatus; job: JobErrorCode }>;

/** Machine-readable error codes shared by the inference server and its clients. */
export type InferenceErrorCode = keyof typeof INFERENCE_ERROR_MAP;
export const INFERENCE_ERROR_CODES = Object.keys(INFERENCE_ERROR_MAP) as readonly InferenceErrorCode[];

/** The gRPC status the server answers for each code. */
export const GRPC_STATUS_OF = Object.fromEntries(INFERENCE_ERROR_CODES.map((code) => [code, INFERENCE_ERROR_MAP[code].grpc])) as Readonly<
  Record<InferenceErrorCode, GrpcStatus>
>;

/**
 * For each job error code, the API's code for the same problem found up front (the submit
 * refuses it before a job exists); null where only a running job can meet it.
 */
export const JOB_ERROR_MAP = {
  UNSUPPORTED_IMAGE: { api: ApiErrorCode.UNSUPPORTED_IMAGE },
  IMAGE_TOO_LARGE: { api: ApiErrorCode.IMAGE_TOO_LARGE },
  INVALID_OPTIONS: { api: ApiErrorCode.BAD_USER_INPUT },
  INFERENCE_UNAVAILABLE: { api: null },
  INFERENCE_TIMEOUT: { api: null },
  INFERENCE_BUSY: { api: null },
  INPUT_UNAVAILABLE: { api: ApiErrorCode.NOT_FOUND },
  WORKER_LOST: { api: null },
  CANCELED: { api: null },
  INTERNAL_ERROR: { api: ApiErrorCode.INTERNAL_SERVER_ERROR },
} as const satisfies Record<JobErrorCode, { api: ApiErrorCode | null }>;

/** The job error code the API records for a failed inference call. */
export function jobErrorCodeOf(code: InferenceErrorCode): JobErrorCode {
  return INFERENCE_ERROR_MAP[code].job;
}

/** The API's code for the problem a job error code names, when the API can meet it up front. */
export function apiErrorCodeOf(code: JobErrorCode): ApiErrorCode | null {
  return JOB_ERROR_MAP[code].api;
}
