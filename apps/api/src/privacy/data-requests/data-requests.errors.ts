import { AppError, badInput, conflict } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-codes';
import type { DataRequestStatus } from './data-request-states';

/** A transition the request's current status does not allow (double approval, approve after reject …). */
export const wrongStatus = (status: DataRequestStatus, action: string) =>
  new AppError(ErrorCode.CONFLICT, `This request is ${status.toLowerCase()}: it cannot be ${action}.`, { status });

export const alreadyOpen = (kind: string) =>
  new AppError(ErrorCode.CONFLICT, `There is already an open ${kind.toLowerCase()} request for this account.`, {
    reason: 'ALREADY_OPEN',
  });

export const lastOwner = (teamIds: string[]) =>
  new AppError(
    ErrorCode.CONFLICT,
    'You are the last owner of a team with other members: transfer ownership or promote another owner first.',
    { reason: 'LAST_OWNER', teamIds },
  );

export const wrongPassword = () => badInput('password', 'The password is not correct.');

/** The archive of a completed export is gone (swept after EXPORT_TTL_HOURS, or its account deleted). */
export const exportExpired = () => new AppError(ErrorCode.EXPORT_EXPIRED, 'This export has expired and was deleted. Request a new one.');

export const notCancelable = () => conflict('Only an account deletion that has not started can be canceled.');
