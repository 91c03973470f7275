import type { InferenceErrorCode } from '@cutout/inference-contract';

/** An expected failure of a request, carrying the code the client sees. */
export class InferenceFailure extends Error {
  constructor(
    readonly code: InferenceErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'InferenceFailure';
  }
}

export const invalidArgument = (message: string) => new InferenceFailure('INVALID_ARGUMENT', message);
