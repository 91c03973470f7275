import { ErrorCode } from './error-codes';

/** A typed, expected failure. Its message is safe to show to the caller. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const unauthenticated = (message = 'Sign in or send a valid API key.') => new AppError(ErrorCode.UNAUTHENTICATED, message);
export const forbidden = (message = 'You are not allowed to do that.') => new AppError(ErrorCode.FORBIDDEN, message);
/**
 * One answer for everything the caller cannot see, whatever it is and whether or not it exists
 * elsewhere: `what` names the object for readers of the code only, never in the message.
 */
export const notFound = (_what: string) => new AppError(ErrorCode.NOT_FOUND, 'Not found.');
export const badInput = (field: string, message: string) => new AppError(ErrorCode.BAD_USER_INPUT, message, { field });
export const conflict = (message: string) => new AppError(ErrorCode.CONFLICT, message);
export const invalidToken = (message = 'This link is invalid or has expired.') => new AppError(ErrorCode.INVALID_TOKEN, message);
export const rateLimited = (retryAfterSeconds: number) =>
  new AppError(ErrorCode.RATE_LIMITED, `Too many attempts. Try again in ${retryAfterSeconds} seconds.`, { retryAfterSeconds });
export const unsupportedImage = (message = 'Send a JPEG, PNG or WebP image.') => new AppError(ErrorCode.UNSUPPORTED_IMAGE, message);
export const imageTooLarge = (message: string) => new AppError(ErrorCode.IMAGE_TOO_LARGE, message);
