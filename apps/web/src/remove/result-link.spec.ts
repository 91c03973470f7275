import { linkExpiresSoon } from './result-link';

describe('linkExpiresSoon', () => {
  const now = Date.UTC(2026, 11, 1, 12);
  const expiringAt = (ms: number) => `https://cutout.example.com/results/j1?expires=${Math.floor(ms / 1000)}&by=s1&signature=abc`;

  it('reads the signed link’s expires (Unix seconds), with a margin before it', () => {
    expect(linkExpiresSoon(expiringAt(now + 3_600_000), now)).toBe(false);
    expect(linkExpiresSoon(expiringAt(now + 30_000), now)).toBe(true);
    expect(linkExpiresSoon(expiringAt(now - 1000), now)).toBe(true);
  });

  it('counts a link without a readable expiry as dead (one needless renewal at worst)', () => {
    expect(linkExpiresSoon('/results/j1?sig=x', now)).toBe(true);
    expect(linkExpiresSoon('/results/j1?expires=soon', now)).toBe(true);
  });
});
