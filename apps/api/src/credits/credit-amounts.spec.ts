import { creditsToQuarters, quartersToCredits } from './credit-amounts';
import { nextBalance } from './credits.service';

describe('credit amounts', () => {
  it('turns multiples of 0.25 credits into exact integer quarters and back', () => {
    for (const credits of [0, 0.25, 0.5, 0.75, 1, 2.75, -1.25, 2500.5, 1_000_000]) {
      const quarters = creditsToQuarters(credits);
      expect(Number.isInteger(quarters)).toBe(true);
      expect(quartersToCredits(quarters)).toBe(credits);
    }
    expect(Object.is(creditsToQuarters(-0), 0)).toBe(true);
  });

  it.each([0.1, 0.3, 1e-9, 1.2500001, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e300])(
    'refuses %p with BAD_USER_INPUT naming the field',
    (credits) => {
      expect(() => creditsToQuarters(credits, 'amount')).toThrow(
        expect.objectContaining({ code: 'BAD_USER_INPUT', details: { field: 'amount' } }),
      );
    },
  );
});

describe('nextBalance', () => {
  const b = (availableQuarters: number, debtQuarters = 0) => ({ availableQuarters, debtQuarters });

  it('charges only what is available, never while in debt', () => {
    expect(nextBalance(b(4), { kind: 'JOB_CHARGE', amountQuarters: -4 })).toEqual(b(0));
    expect(() => nextBalance(b(3), { kind: 'JOB_CHARGE', amountQuarters: -4 })).toThrow(
      expect.objectContaining({ code: 'INSUFFICIENT_CREDITS', details: { required: 1, available: 0.75, debt: 0 } }),
    );
    expect(() => nextBalance(b(0, 1), { kind: 'JOB_CHARGE', amountQuarters: 0 })).toThrow(
      expect.objectContaining({ code: 'INSUFFICIENT_CREDITS' }),
    );
  });

  it('takes what is available and records the rest as debt; pays debt before adding', () => {
    expect(nextBalance(b(3), { kind: 'PAYMENT_REVERSAL', amountQuarters: -10 })).toEqual(b(0, 7));
    expect(nextBalance(b(0, 7), { kind: 'PURCHASE', amountQuarters: 5 })).toEqual(b(0, 2));
    expect(nextBalance(b(0, 2), { kind: 'ADMIN_ADJUSTMENT', amountQuarters: 5 })).toEqual(b(3, 0));
  });
});
