import { badInput } from '../common/errors/app-error';

/** Quarter-credits per credit: inside the API every amount is an integer number of quarters. */
export const QUARTERS_PER_CREDIT = 4;

/** Credits (as shown in GraphQL, a Float that is a multiple of 0.25) → integer quarters; BAD_USER_INPUT otherwise. */
export function creditsToQuarters(credits: number, field = 'amount'): number {
  const quarters = credits * QUARTERS_PER_CREDIT;
  if (!Number.isFinite(credits) || !Number.isSafeInteger(quarters)) {
    throw badInput(field, 'Credit amounts are multiples of 0.25.');
  }
  return quarters === 0 ? 0 : quarters; // no -0
}

/** Integer quarters → credits (exact: quarters / 4 is always representable). */
export function quartersToCredits(quarters: number): number {
  return quarters / QUARTERS_PER_CREDIT;
}
