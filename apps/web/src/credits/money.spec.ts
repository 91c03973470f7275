import { formatMoney, formatSignedCredits, lastDays } from './money';

describe('credits formatting', () => {
  it('formats prices from the minor unit of their currency', () => {
    expect(formatMoney(1000, 'usd')).toBe('$10.00');
    expect(formatMoney(4500, 'eur')).toBe('€45.00');
    expect(formatMoney(500, 'jpy')).toBe('¥500');
  });

  it('signs ledger amounts, quarters kept', () => {
    expect(formatSignedCredits(100)).toBe('+100');
    expect(formatSignedCredits(-0.25)).toBe('−0.25');
  });

  it('spans the last whole UTC days up to and including today', () => {
    expect(lastDays(30, new Date('2026-11-30T15:00:00Z'))).toEqual({ from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' });
  });
});
