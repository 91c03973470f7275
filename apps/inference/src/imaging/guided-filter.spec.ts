import { boxMean, guidedFilterRefine } from './guided-filter';

describe('guided filter', () => {
  it('box mean equals a brute-force window mean (clipped at the borders)', () => {
    const w = 7;
    const h = 5;
    const src = Float32Array.from({ length: w * h }, (_, i) => (i * 37) % 11);
    const r = 2;
    const out = boxMean(src, w, h, r);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        let sum = 0;
        let n = 0;
        for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++)
          for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
            sum += src[yy * w + xx];
            n++;
          }
        expect(out[y * w + x]).toBeCloseTo(sum / n, 4);
      }
  });

  it.each(['gray', 'color'] as const)(
    '(%s guide) moves a blurry mask edge onto the edge of the photo and keeps flat regions',
    async (guide) => {
      const w = 64;
      const h = 16;
      const rgb = new Uint8Array(w * h * 3);
      const alpha = new Uint8Array(w * h);
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          const bright = x >= 32; // the photo's edge is at x = 32
          rgb.fill(bright ? 230 : 20, (y * w + x) * 3, (y * w + x) * 3 + 3);
          alpha[y * w + x] = Math.max(0, Math.min(255, Math.round(((x - 24) / 16) * 255))); // soft ramp 24..40
        }
      const refined = await guidedFilterRefine(rgb, alpha, w, h, { radius: 6, eps: 1e-3, workPixels: 1e6, guide });
      const row = 8 * w;
      expect(refined[row + 2]).toBe(0);
      expect(refined[row + 61]).toBe(255);
      // Sharper than the input ramp around the photo's edge.
      expect(refined[row + 29]).toBeLessThan(alpha[row + 29]);
      expect(refined[row + 35]).toBeGreaterThan(alpha[row + 35]);
    },
  );
});
