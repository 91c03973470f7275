import { cityBlockDistance, countBand, guardPixels, guardSpan, guardWeight, INV255, windowBand } from './foreground-band';
import { FOREGROUND_DEFAULTS, type ForegroundOptions } from './foreground-estimation';

/**
 * A mask like a model's: runs of transparent and opaque pixels (whole words of four and not) with soft
 * edges between them, from a small seeded generator (the same mask every run).
 */
function runsMask(width: number, height: number, seed: number): Uint8Array {
  const alpha = new Uint8Array(width * height);
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 8) / (1 << 24);
  for (let i = 0; i < alpha.length;) {
    const run = 1 + Math.floor(next() * 23);
    const kind = next();
    const value = kind < 0.4 ? 0 : kind < 0.75 ? 255 : Math.floor(next() * 256);
    for (const end = Math.min(alpha.length, i + run); i < end; i++) alpha[i] = kind < 0.9 ? value : Math.floor(next() * 256);
  }
  return alpha;
}

/** windowBand's result by its definition, one pixel at a time: cityBlockDistance, then the band and faint pixels in raster order. */
function bandByDefinition(alpha: Uint8Array, width: number, height: number, o: ForegroundOptions) {
  const { D } = guardSpan(o, width, height);
  const dist = cityBlockDistance(alpha, width, height, o.backgroundBelow, D + 1);
  const lo = Math.max(o.sweepFrom, Number.MIN_VALUE);
  const band: number[] = [];
  const faint: number[] = [];
  for (let i = 0; i < alpha.length; i++) {
    const a = alpha[i] * INV255;
    if (dist[i] > D || !(a > 0 && a < o.opaqueFrom)) continue;
    (a >= lo ? band : faint).push(i);
  }
  return { dist, band, faint };
}

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

  it('windowBand and countBand, four pixels at a time where they can, give what one pixel at a time gives: aligned or not, any width, opaque pixels listed or not', () => {
    const variants: [string, Partial<ForegroundOptions>][] = [
      ['defaults', {}],
      // No pixel is background (below 0): every distance is the cap, nothing is listed, and transparent words take their distances one by one.
      ['no background', { backgroundBelow: 0 }],
      // opaqueFrom above 1: opaque pixels are band pixels, so opaque words are listed pixel by pixel.
      ['opaque pixels listed', { opaqueFrom: 1.01, guardDistance: 2, guardFade: 3 }],
    ];
    for (const [width, height] of [
      [64, 40],
      [37, 29],
      [7, 11],
    ])
      for (const [name, options] of variants) {
        const o = { ...FOREGROUND_DEFAULTS, guardDistance: 4, guardFade: 6, ...options };
        const mask = runsMask(width, height, width * 31 + height);
        // The same pixels at a byte offset of 1: no word view, the pixel-by-pixel path throughout.
        const unaligned = new Uint8Array(mask.length + 1).subarray(1);
        unaligned.set(mask);
        const expected = bandByDefinition(mask, width, height, o);
        if (name !== 'no background') expect(expected.band.length).toBeGreaterThan(0);
        for (const alpha of [mask, unaligned]) {
          const got = windowBand(alpha, width, height, o, guardSpan(o, width, height));
          const label = `${width}x${height} ${name} offset ${alpha.byteOffset}`;
          expect({ label, dist: [...got.guard!.dist] }).toEqual({ label, dist: [...expected.dist] });
          expect({ label, band: [...got.band], faint: [...got.faint!] }).toEqual({ label, band: expected.band, faint: expected.faint });
          const counts = countBand(alpha, width, height, Math.max(o.sweepFrom, Number.MIN_VALUE), o.opaqueFrom, 0);
          const lo = Math.max(o.sweepFrom, Number.MIN_VALUE);
          const soft = [...mask].map((v) => v * INV255).filter((a) => a > 0 && a < o.opaqueFrom);
          expect({ label, ...counts }).toEqual({
            label,
            candidates: soft.filter((a) => a >= lo).length,
            faintCount: soft.filter((a) => a < lo).length,
          });
        }
      }
  });
});
