import { Metadata, status as GrpcStatus, type StatusObject } from '@grpc/grpc-js';
import { ERROR_CODE_METADATA_KEY, GRPC_STATUS_OF } from '@cutout/inference-contract';
import { InferenceFailure } from '../errors/inference-failure';

/** Turns any error into a gRPC status with the error-code trailer; unexpected errors become INTERNAL. */
export function toGrpcStatus(error: unknown): Partial<StatusObject> & { code: GrpcStatus; details: string; metadata: Metadata } {
  const failure =
    error instanceof InferenceFailure
      ? error
      : new InferenceFailure('INTERNAL_ERROR', `internal error: ${error instanceof Error ? error.message : String(error)}`);
  const metadata = new Metadata();
  metadata.set(ERROR_CODE_METADATA_KEY, failure.code);
  return { code: GRPC_STATUS_OF[failure.code], details: failure.message, metadata };
}
