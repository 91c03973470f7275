import { ApiErrorCode, JobErrorCode } from '@cutout/job-vocabulary';

/** What the API puts next to `extensions.code` (see the README, "Errors"). */
export interface ErrorExtensions {
  code?: string;
  retryAfterSeconds?: number;
  required?: number;
  available?: number;
  field?: string;
  reason?: string;
  [key: string]: unknown;
}

/** A plain sentence for people, with an optional link (e.g. to buy credits). */
export interface ErrorSentence {
  text: string;
  link?: { href: string; label: string };
}

/** One failed GraphQL operation (or an unreachable server: code NETWORK). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly extensions: ErrorExtensions = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function minutes(seconds: number): string {
  const n = Math.max(1, Math.ceil(seconds / 60));
  return n === 1 ? '1 minute' : `${n} minutes`;
}

function credits(n: number | undefined): string {
  return n === undefined ? 'more' : `${n.toLocaleString('en-US', { maximumFractionDigits: 2 })}`;
}

type Sentences = Record<string, (ext: ErrorExtensions, message: string) => ErrorSentence>;

/** Every documented API code (`extensions.code`). */
const apiSentences: Record<ApiErrorCode, Sentences[string]> = {
  UNAUTHENTICATED: () => ({ text: 'You are not signed in, or the email or password is wrong.' }),
  FORBIDDEN: () => ({ text: 'Your role in this team does not allow that.' }),
  NOT_FOUND: () => ({ text: 'We could not find that. It may have been deleted.' }),
  BAD_USER_INPUT: (ext, message) => ({
    text: ext.field ? `Please check ${ext.field}: ${message}` : message || 'Please check what you entered.',
  }),
  CONFLICT: (_ext, message) => ({ text: message || 'That conflicts with the current state. Reload and try again.' }),
  INVALID_TOKEN: () => ({ text: 'This link is invalid, expired or was already used. Ask for a new one.' }),
  EMAIL_NOT_VERIFIED: () => ({ text: 'Please verify your email address first: follow the link we mailed you.' }),
  // Only the API's retryAfterSeconds says when; without it (e.g. too many live subscriptions) no time is promised.
  RATE_LIMITED: (ext) => ({
    text:
      typeof ext.retryAfterSeconds === 'number' && ext.retryAfterSeconds > 0
        ? `Too many attempts. Try again in ${minutes(ext.retryAfterSeconds)}.`
        : 'Too many requests at once. Please wait a moment and try again.',
  }),
  UNSUPPORTED_IMAGE: () => ({ text: 'This file is not a JPEG, PNG or WebP image we can read.' }),
  IMAGE_TOO_LARGE: () => ({ text: 'This image is too large (too many bytes or pixels). Try a smaller one.' }),
  QUERY_TOO_COMPLEX: () => ({ text: 'The request was too complex for the server. Please reload the page.' }),
  GRAPHQL_PARSE_FAILED: () => ({ text: 'The dashboard sent a malformed request. Please reload the page.' }),
  GRAPHQL_VALIDATION_FAILED: () => ({ text: 'The dashboard is out of date. Please reload the page.' }),
  INSUFFICIENT_CREDITS: (ext) => ({
    text:
      ext.required !== undefined && ext.available !== undefined
        ? `Not enough credits: this needs ${credits(ext.required)}, the team has ${credits(ext.available)}.`
        : 'Not enough credits for this.',
    link: { href: '/credits', label: 'Buy credits' },
  }),
  BILLING_NOT_CONFIGURED: () => ({ text: 'Buying credits is not available on this server.' }),
  BILLING_UNAVAILABLE: () => ({ text: 'The payment provider could not be reached. Nothing was charged; try again later.' }),
  EXPORT_EXPIRED: () => ({ text: 'This data export has expired. Request a new one in Privacy.' }),
  RESULT_EXPIRED: () => ({ text: 'This result was deleted by your team’s retention policy.' }),
  INPUT_EXPIRED: () => ({ text: 'This original image was deleted by your team’s retention policy.' }),
  BAD_REQUEST: () => ({ text: 'The request was refused. Please reload the page.' }),
  INTERNAL_SERVER_ERROR: () => ({ text: 'Something went wrong on our side. Please try again.' }),
};

/** Every documented job code (`Job.error.code`). */
const jobSentences: Record<JobErrorCode, Sentences[string]> = {
  UNSUPPORTED_IMAGE: apiSentences.UNSUPPORTED_IMAGE,
  IMAGE_TOO_LARGE: apiSentences.IMAGE_TOO_LARGE,
  INVALID_OPTIONS: (_ext, message) => ({
    text: message ? `These options cannot be used: ${message}` : 'These options cannot be used together.',
  }),
  INFERENCE_UNAVAILABLE: () => ({ text: 'The background-removal service is unavailable. Your credits were refunded; try again soon.' }),
  INFERENCE_TIMEOUT: () => ({ text: 'Removing the background took too long. Your credits were refunded; try again.' }),
  INFERENCE_BUSY: () => ({ text: 'The service is busy. Your credits were refunded; try again in a minute.' }),
  INPUT_UNAVAILABLE: () => ({ text: 'The uploaded image is no longer available. Upload it again.' }),
  WORKER_LOST: () => ({ text: 'The job was interrupted. Your credits were refunded; try again.' }),
  CANCELED: () => ({ text: 'The job was canceled. Your credits were refunded.' }),
  INTERNAL_ERROR: apiSentences.INTERNAL_SERVER_ERROR,
};

const networkSentence: ErrorSentence = { text: 'The server could not be reached. Check your connection and try again.' };

/** The sentence for an API or job error code; unknown codes fall back to the server's message. */
export function errorSentence(code: string, extensions: ErrorExtensions = {}, message = ''): ErrorSentence {
  if (code === 'NETWORK') return networkSentence;
  const sentence = (apiSentences as Sentences)[code] ?? (jobSentences as Sentences)[code];
  if (sentence) return sentence(extensions, message);
  return { text: message || 'Something went wrong. Please try again.' };
}

/** The job-error sentence (job codes take precedence over the API codes of the same name). */
export function jobErrorSentence(code: string, message = ''): ErrorSentence {
  const sentence = (jobSentences as Sentences)[code];
  return sentence ? sentence({}, message) : errorSentence(code, {}, message);
}

/** Any thrown value as a sentence. */
export function describeError(error: unknown): ErrorSentence {
  if (error instanceof ApiError) return errorSentence(error.code, error.extensions, error.message);
  return { text: error instanceof Error && error.message ? error.message : 'Something went wrong. Please try again.' };
}

export const knownApiCodes = Object.keys(apiSentences);
export const knownJobCodes = Object.keys(jobSentences);
