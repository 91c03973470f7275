/**
 * The one list of error codes the API returns in GraphQL `extensions.code` (and in REST error
 * bodies), defined once in `@cutout/job-vocabulary` (the CLI and the mapping table read it too)
 * and named `ErrorCode` inside the API. Documented in the README; clients depend on it.
 */
import { API_ERROR_CODES, ApiErrorCode } from '@cutout/job-vocabulary';

export const ErrorCode = ApiErrorCode;
export type ErrorCode = ApiErrorCode;
export const ERROR_CODES: readonly ErrorCode[] = API_ERROR_CODES;
