import { AppError, badInput } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-codes';

export const billingNotConfigured = () =>
  new AppError(ErrorCode.BILLING_NOT_CONFIGURED, 'Buying credits is not configured on this server (no Stripe keys).');

export const billingUnavailable = () =>
  new AppError(ErrorCode.BILLING_UNAVAILABLE, 'The payment provider could not be reached. Nothing was bought; try again later.');

export const unknownPack = () => badInput('packId', 'No such credit pack: see creditPacks.');

/** A webhook whose signature does not verify (forged, altered, or signed more than the tolerance before or after now). */
export const badWebhookSignature = () => new AppError(ErrorCode.BAD_REQUEST, 'The Stripe-Signature header does not verify.');
