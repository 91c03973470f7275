import type { Response } from 'express';
import type { Logger } from '../logger';
import { AppError } from './app-error';
import { ErrorCode } from './error-codes';

const STATUS: Partial<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  INVALID_TOKEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  CONFLICT: 409,
  EXPORT_EXPIRED: 410,
  RESULT_EXPIRED: 410,
  INPUT_EXPIRED: 410,
  IMAGE_TOO_LARGE: 413,
  UNSUPPORTED_IMAGE: 415,
  RATE_LIMITED: 429,
  BILLING_UNAVAILABLE: 502,
  BILLING_NOT_CONFIGURED: 503,
};

/** REST routes answer errors as `{ "error": { "code", "message" } }` with the same codes as GraphQL. */
export function sendHttpError(res: Response, error: unknown, logger: Logger): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error instanceof AppError) {
    res.status(STATUS[error.code] ?? 400).json({ error: { code: error.code, message: error.message, ...error.details } });
    return;
  }
  logger.error({ err: error }, 'unexpected error in a REST route');
  res.status(500).json({ error: { code: ErrorCode.INTERNAL_SERVER_ERROR, message: 'Internal server error.' } });
}
