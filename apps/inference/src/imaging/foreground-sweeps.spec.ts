import { sweepDense, updatePixel } from './foreground-sweeps';

/** A level with a soft disc, hard steps and the four borders; F and B start from unrelated values. */
function level(w: number, h: number) {
  const n = w * h;
  const image = Uint8Array.from({ length: n * 3 }, (_, i) => (i * 73 + 11) % 256);
  const alpha = Float32Array.from({ length: n }, (_, i) => {
    const x = i % w;
    const y = Math.floor(i / w);
    return i % 7 === 0 ? 1 : i % 11 === 0 ? 0 : Math.min(1, Math.max(0, 1.5 - Math.hypot(x - w / 2, y - h / 2) / 8));
  });
  const F0 = Float32Array.from({ length: n * 3 }, (_, i) => (i * 37) % 255);
  const B0 = Float32Array.from({ length: n * 3 }, (_, i) => (i * 91) % 255);
  return { image, alpha, F0, B0 };
}

/** The largest difference between two planes. */
const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('the dense sweeps', () => {
  it('give the same floats as updatePixel over every pixel in raster order, sweep after sweep (borders included), relaxed or not', () => {
    for (const [w, h, relaxation] of [
      [37, 23, 1.3],
      [1, 9, 1.3],
      [64, 64, 1.3],
      [37, 23, 1],
    ]) {
      const { image, alpha, F0, B0 } = level(w, h);
      const [F, B, refF, refB] = [F0.slice(), B0.slice(), F0.slice(), B0.slice()];
      sweepDense(w, h, image, alpha, F, B, 1e-5, 0.03, 3, relaxation);
      for (let it = 0; it < 3; it++)
        for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) updatePixel(x, y, w, h, image, alpha, refF, refB, 1e-5, 0.03, relaxation);
      expect(Buffer.from(F.buffer).equals(Buffer.from(refF.buffer))).toBe(true);
      expect(Buffer.from(B.buffer).equals(Buffer.from(refB.buffer))).toBe(true);
      // The sweeps did change F and B.
      expect(Buffer.from(F.buffer).equals(Buffer.from(F0.buffer))).toBe(false);
    }
  });

  it('over-relaxed, approach the same solution faster than plain Gauss–Seidel, sweep for sweep', () => {
    const [w, h] = [48, 40];
    const { image, alpha, F0, B0 } = level(w, h);
    const solve = (iterations: number, relaxation: number) => {
      const [F, B] = [F0.slice(), B0.slice()];
      sweepDense(w, h, image, alpha, F, B, 1e-3, 0.03, iterations, relaxation);
      return { F, B };
    };
    // The systems' solution: many plain sweeps. Relaxation changes how fast it is reached, not where.
    const exact = solve(3000, 1);
    const relaxedLong = solve(3000, 1.3);
    expect(maxDiff(relaxedLong.F, exact.F)).toBeLessThan(0.01);
    expect(maxDiff(relaxedLong.B, exact.B)).toBeLessThan(0.01);
    const meanError = (s: { F: Float32Array; B: Float32Array }) =>
      s.F.reduce((sum, v, i) => sum + Math.abs(v - exact.F[i]) + Math.abs(s.B[i] - exact.B[i]), 0) / (2 * s.F.length);
    for (const sweeps of [4, 8]) expect(meanError(solve(sweeps, 1.3))).toBeLessThan(meanError(solve(sweeps, 1)));
  });
});
