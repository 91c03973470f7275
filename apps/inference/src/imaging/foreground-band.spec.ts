import { cityBlockDistance, guardPixels, guardWeight } from './foreground-band';

describe('the guard: distances to the background and the fade', () => {
  it('cityBlockDistance: city-block distances to the nearest background pixel on a tiny grid', () => {
    // 5 × 4, background (α < 0.05) at (0, 0) and (4, 3).
    const alpha = new Uint8Array(20).fill(255);
    alpha[0] = 0;
    alpha[19] = 10; // 10/255 < 0.05
    expect([...cityBlockDistance(alpha, 5, 4, 0.05, 100)]).toEqual([0, 1, 2, 3, 3, 1, 2, 3, 3, 2, 2, 3, 3, 2, 1, 3, 3, 2, 1, 0]);
    // Float alpha reads the same; the cap bounds every distance.
    expect([
      ...cityBlockDistance(
        Float32Array.from(alpha, (a) => a / 255),
        5,
        4,
        0.05,
        2,
      ),
    ]).toEqual([0, 1, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 1, 0]);
  });

  it('cityBlockDistance: a diamond around one background pixel, a count along a row, and the cap with no background at all', () => {
    const alpha = new Uint8Array(9).fill(128);
    alpha[4] = 0; // centre of 3 × 3
    expect([...cityBlockDistance(alpha, 3, 3, 0.05, 50)]).toEqual([2, 1, 2, 1, 0, 1, 2, 1, 2]);
    expect([...cityBlockDistance(new Uint8Array(6).fill(200), 3, 2, 0.05, 7)]).toEqual([7, 7, 7, 7, 7, 7]);
    expect([...cityBlockDistance(new Uint8Array([0, 255, 255, 255, 255, 255, 255]), 7, 1, 0.05, 1000)]).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('guardPixels: D at a 1024-pixel long side, scaled up for larger images, never below D', () => {
    expect(guardPixels(16, 640, 480)).toBe(16);
    expect(guardPixels(16, 2048, 1000)).toBe(32);
    expect(guardPixels(16, 1000, 3072)).toBe(48);
    expect(guardPixels(Infinity, 100, 100)).toBe(Infinity);
  });

  it('guardWeight: 1 up to D1, 0 from D2 on, linear between; a hard cut when D2 ≤ D1', () => {
    expect([0, 8, 16].map((d) => guardWeight(d, 16, 48))).toEqual([1, 1, 1]);
    expect([48, 60, 1000].map((d) => guardWeight(d, 16, 48))).toEqual([0, 0, 0]);
    expect(guardWeight(24, 16, 48)).toBeCloseTo(0.75, 10);
    expect(guardWeight(32, 16, 48)).toBeCloseTo(0.5, 10);
    expect(guardWeight(40, 16, 48)).toBeCloseTo(0.25, 10);
    expect([24, 25].map((d) => guardWeight(d, 24, 24))).toEqual([1, 0]);
  });
});
