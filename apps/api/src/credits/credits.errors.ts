import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-codes';
import { quartersToCredits } from './credit-amounts';

/** A charge the team cannot pay: `required` and `available` (and `debt`) in credits. */
export const insufficientCredits = (requiredQuarters: number, availableQuarters: number, debtQuarters: number) =>
  new AppError(
    ErrorCode.INSUFFICIENT_CREDITS,
    debtQuarters > 0 ? 'This team owes credits; buy credits to pay the debt before running jobs.' : 'Not enough credits for this job.',
    {
      required: quartersToCredits(requiredQuarters),
      available: quartersToCredits(availableQuarters),
      debt: quartersToCredits(debtQuarters),
    },
  );
