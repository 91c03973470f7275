import { sweepDense, updatePixel } from './foreground-sweeps';

describe('the dense sweeps', () => {
  it('give the same floats as updatePixel over every pixel in raster order, sweep after sweep (borders included)', () => {
    // A level with a soft disc, hard steps and the four borders; F and B start from unrelated values.
    for (const [w, h] of [
      [37, 23],
      [1, 9],
      [64, 64],
    ]) {
      const n = w * h;
      const image = Uint8Array.from({ length: n * 3 }, (_, i) => (i * 73 + 11) % 256);
      const alpha = Float32Array.from({ length: n }, (_, i) => {
        const x = i % w;
        const y = Math.floor(i / w);
        return i % 7 === 0 ? 1 : i % 11 === 0 ? 0 : Math.min(1, Math.max(0, 1.5 - Math.hypot(x - w / 2, y - h / 2) / 8));
      });
      const F0 = Float32Array.from({ length: n * 3 }, (_, i) => (i * 37) % 255);
      const B0 = Float32Array.from({ length: n * 3 }, (_, i) => (i * 91) % 255);
      const [F, B, refF, refB] = [F0.slice(), B0.slice(), F0.slice(), B0.slice()];
      sweepDense(w, h, image, alpha, F, B, 1e-5, 0.03, 3);
      for (let it = 0; it < 3; it++)
        for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) updatePixel(x, y, w, h, image, alpha, refF, refB, 1e-5, 0.03);
      expect(Buffer.from(F.buffer).equals(Buffer.from(refF.buffer))).toBe(true);
      expect(Buffer.from(B.buffer).equals(Buffer.from(refB.buffer))).toBe(true);
      // The sweeps did change F and B.
      expect(Buffer.from(F.buffer).equals(Buffer.from(F0.buffer))).toBe(false);
    }
  });
});
