import { auditFilter, checkAdjustment, NO_AUDIT_FILTER } from './admin-state';

describe('auditFilter', () => {
  it('leaves empty fields out', () => {
    expect(auditFilter(NO_AUDIT_FILTER)).toEqual({});
  });

  it('trims ids and email and turns local date-times into instants', () => {
    const filter = auditFilter({
      action: 'DATA_REQUEST_APPROVED',
      teamId: ' t1 ',
      actorId: 'u1',
      email: ' a@example.test ',
      from: '2026-01-02T03:04',
      to: '2026-01-03T00:00',
    });
    expect(filter).toEqual({
      action: 'DATA_REQUEST_APPROVED',
      teamId: 't1',
      actorId: 'u1',
      email: 'a@example.test',
      from: new Date('2026-01-02T03:04').toISOString(),
      to: new Date('2026-01-03T00:00').toISOString(),
    });
  });
});

describe('checkAdjustment', () => {
  it('accepts signed multiples of 0.25 with a reason', () => {
    expect(checkAdjustment('+10', ' goodwill ')).toEqual({ amount: 10, reason: 'goodwill', errors: {} });
    expect(checkAdjustment('-2.75', 'refund')).toMatchObject({ amount: -2.75 });
  });

  it('refuses zero, non-numbers, other fractions and amounts over a million', () => {
    expect(checkAdjustment('0', 'x').errors.amount).toBe('Not zero.');
    expect(checkAdjustment('ten', 'x').errors.amount).toBe('A number of credits, e.g. 10 or -2.5.');
    expect(checkAdjustment('1.1', 'x').errors.amount).toBe('A multiple of 0.25 credits.');
    expect(checkAdjustment('-1000000.25', 'x').errors.amount).toBe('At most 1,000,000 credits either way.');
    expect(checkAdjustment('1000000', 'x').amount).toBe(1_000_000);
  });

  it('requires a reason of at most 500 characters', () => {
    expect(checkAdjustment('1', '  ').errors.reason).toBe('Give the reason: it is kept in the ledger.');
    expect(checkAdjustment('1', 'r'.repeat(501)).errors.reason).toBe('At most 500 characters.');
    expect(checkAdjustment('1', '  ').amount).toBeUndefined();
  });
});
