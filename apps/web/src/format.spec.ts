import { formatCredits } from './format';

describe('formatCredits', () => {
  it('pluralises and groups digits', () => {
    expect(formatCredits(1)).toBe('1 credit');
    expect(formatCredits(0)).toBe('0 credits');
    expect(formatCredits(2500)).toBe('2,500 credits');
  });
});
