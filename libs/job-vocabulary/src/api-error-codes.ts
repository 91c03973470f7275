/**
 * The one list of error codes the API returns in GraphQL `extensions.code` (and in REST error
 * bodies). Documented in the README ("Errors"); clients (the CLI, the dashboard) depend on it.
 * The API's `common/errors/error-codes.ts` exposes it as `ErrorCode`.
 */
export const ApiErrorCode = {
  /** No valid session cookie or API key, or wrong email/password. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** Authenticated, but the role or credential does not allow the operation. */
  FORBIDDEN: 'FORBIDDEN',
  /** The object does not exist or is not visible to the caller. */
  NOT_FOUND: 'NOT_FOUND',
  /** An argument is malformed or breaks a rule; `extensions.field` names it when known. */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** The request conflicts with the current state (e.g. the last owner leaving). */
  CONFLICT: 'CONFLICT',
  /** A mailed token is unknown, expired or already used. */
  INVALID_TOKEN: 'INVALID_TOKEN',
  /** Correct password, but the email address has not been verified yet. */
  EMAIL_NOT_VERIFIED: 'EMAIL_NOT_VERIFIED',
  /** Too many attempts; `extensions.retryAfterSeconds` says when to try again. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** The bytes are not a JPEG, PNG or WebP image, or cannot be decoded. */
  UNSUPPORTED_IMAGE: 'UNSUPPORTED_IMAGE',
  /** Too many bytes or pixels (MAX_UPLOAD_BYTES, MAX_INLINE_BYTES, MAX_IMAGE_MEGAPIXELS), or more bytes than declared. */
  IMAGE_TOO_LARGE: 'IMAGE_TOO_LARGE',
  /** The query is deeper or more complex than the configured limits. */
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  /** The GraphQL document could not be parsed. */
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  /** The GraphQL document does not match the schema. */
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  /** Not enough credits for the job (or the team owes credits); `extensions.required` and `extensions.available` are in credits. */
  INSUFFICIENT_CREDITS: 'INSUFFICIENT_CREDITS',
  /** Buying credits is not configured on this server (no Stripe keys). */
  BILLING_NOT_CONFIGURED: 'BILLING_NOT_CONFIGURED',
  /** Stripe could not be reached or refused the request (nothing was bought); try again later. */
  BILLING_UNAVAILABLE: 'BILLING_UNAVAILABLE',
  /** A data-export archive was deleted (EXPORT_TTL_HOURS after it was made, or with its account): HTTP 410; request a new export. */
  EXPORT_EXPIRED: 'EXPORT_EXPIRED',
  /** A job's result was deleted by its team's retention policy (or the job record itself is gone): HTTP 410 on its download link. */
  RESULT_EXPIRED: 'RESULT_EXPIRED',
  /** A job's original image was deleted by its team's retention policy (or the job record itself is gone): HTTP 410 on its input link. */
  INPUT_EXPIRED: 'INPUT_EXPIRED',
  /** The HTTP request itself is malformed (e.g. blocked by CSRF prevention). */
  BAD_REQUEST: 'BAD_REQUEST',
  /** An unexpected failure on our side; details are logged, never returned. */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

export type ApiErrorCode = (typeof ApiErrorCode)[keyof typeof ApiErrorCode];
export const API_ERROR_CODES: readonly ApiErrorCode[] = Object.values(ApiErrorCode);
