import { formatCredits } from './format';

describe('formatCredits', () => {
  it('pluralises and groups digits', () => {
    expect(formatCredits(1)).toBe('1 credit');
    expect(formatCredits(0)).toBe('0 credits');
    expect(formatCredits(2500)).toBe('2,500 credits');
  });

  it('shows quarters instead of truncating them', () => {
    expect(formatCredits(0.25)).toBe('0.25 credits');
    expect(formatCredits(0.5)).toBe('0.5 credits');
    expect(formatCredits(1.75)).toBe('1.75 credits');
    expect(formatCredits(2500.75)).toBe('2,500.75 credits');
    expect(formatCredits(-1.25)).toBe('-1.25 credits');
    expect(formatCredits(-1)).toBe('-1 credit');
  });
});
