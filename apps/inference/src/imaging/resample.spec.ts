import type { ModelManifest } from '../models/model-manifest';
import { resizeMask, resizeMaskAsymmetric, resizeMaskRows } from './mask';
import { planarFromRgbBilinear, planarRowsBilinear, roundNonNegative, sourceRowsOf } from './resample';

// The per-pixel formulations the table-driven resamplers replaced: results must stay bit for bit
// the same (the eval figures depend on the exact model input and mask).
function referencePlanar(data: Uint8Array, w: number, h: number, W: number, H: number, mean: number[], std: number[]): Float32Array {
  const target = new Float32Array(3 * W * H);
  const sx = w / W;
  const sy = h / H;
  const inv = std.map((s) => 1 / s);
  for (let y = 0; y < H; y++) {
    const fy = y * sy;
    const y1 = Math.floor(fy);
    const y2 = Math.min(Math.ceil(fy), h - 1);
    const dy = fy - y1;
    for (let x = 0; x < W; x++) {
      const fx = x * sx;
      const x1 = Math.floor(fx);
      const x2 = Math.min(Math.ceil(fx), w - 1);
      const dx = fx - x1;
      const [a, b, c, d] = [(y1 * w + x1) * 3, (y1 * w + x2) * 3, (y2 * w + x1) * 3, (y2 * w + x2) * 3];
      for (let k = 0; k < 3; k++) {
        const v = Math.round(
          (1 - dx) * (1 - dy) * data[a + k] + dx * (1 - dy) * data[b + k] + (1 - dx) * dy * data[c + k] + dx * dy * data[d + k],
        );
        target[k * W * H + y * W + x] = (v - mean[k]) * inv[k];
      }
    }
  }
  return target;
}

function referenceMask(alpha: Uint8Array, width: number, height: number, toWidth: number, toHeight: number): Uint8Array {
  const out = new Uint8Array(toWidth * toHeight);
  const sx = width / toWidth;
  const sy = height / toHeight;
  for (let y = 0; y < toHeight; y++) {
    const fy = y * sy;
    const y1 = Math.floor(fy);
    const y2 = Math.min(Math.ceil(fy), height - 1);
    const dy = fy - y1;
    for (let x = 0; x < toWidth; x++) {
      const fx = x * sx;
      const x1 = Math.floor(fx);
      const x2 = Math.min(Math.ceil(fx), width - 1);
      const dx = fx - x1;
      const top = alpha[y1 * width + x1] + (alpha[y1 * width + x2] - alpha[y1 * width + x1]) * dx;
      const bottom = alpha[y2 * width + x1] + (alpha[y2 * width + x2] - alpha[y2 * width + x1]) * dx;
      out[y * toWidth + x] = top + (bottom - top) * dy + 0.5;
    }
  }
  return out;
}

/** Deterministic pseudo-random bytes (a 32-bit LCG), so failures reproduce. */
function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

const manifestOf = (W: number, H: number, mean: number[], std: number[]) =>
  ({ input: { name: 'input', width: W, height: H, mean, std } }) as unknown as ModelManifest;

describe('table-driven resamplers', () => {
  it.each([
    [37, 23, 16, 16],
    [16, 16, 37, 23],
    [101, 64, 32, 48],
    [5, 5, 5, 5],
  ])('planarFromRgbBilinear %ix%i -> %ix%i equals the per-pixel formulation', (w, h, W, H) => {
    const data = bytes(w * h * 3, w * 1000 + h);
    const mean = [128, 120, 100];
    const std = [256, 58.4, 57.1];
    const got = planarFromRgbBilinear({ data: Buffer.from(data), width: w, height: h }, manifestOf(W, H, mean, std));
    expect(got).toEqual(referencePlanar(data, w, h, W, H, mean, std));
  });

  it('planarFromRgbBilinear writes into a given target', () => {
    const target = new Float32Array(3 * 4 * 4);
    const out = planarFromRgbBilinear(
      { data: Buffer.alloc(8 * 8 * 3, 255), width: 8, height: 8 },
      manifestOf(4, 4, [128, 128, 128], [256, 256, 256]),
      target,
    );
    expect(out).toBe(target);
    expect(out.every((v) => v === 127 / 256)).toBe(true);
  });

  it.each([
    [16, 16, 37, 23],
    [64, 64, 300, 170],
    [37, 23, 16, 16],
  ])('resizeMaskAsymmetric %ix%i -> %ix%i equals the per-pixel formulation', (w, h, W, H) => {
    const alpha = bytes(w * h, W * 7 + H);
    expect(Buffer.from(resizeMaskAsymmetric(alpha, w, h, W, H)).equals(Buffer.from(referenceMask(alpha, w, h, W, H)))).toBe(true);
  });
});

describe('roundNonNegative', () => {
  it('equals Math.round on halves, near-halves, the float edge case below 0.5 and the byte range', () => {
    const cases = [0, 0.25, 0.5, 0.49999999999999994, 1.5, 2.5, 2.4999999999999996, 127.5, 254.49999999999997, 254.5, 255, 65535.5];
    for (let v = 0; v <= 256; v += 1 / 64) cases.push(v);
    for (const v of cases) expect([v, roundNonNegative(v)]).toEqual([v, Math.round(v)]);
  });
});

describe('bands of rows (what the imaging workers compute)', () => {
  it.each([
    [101, 64, 32, 48],
    [640, 480, 64, 64],
    [40, 30, 64, 50],
  ])('planarRowsBilinear %ix%i -> %ix%i: bands from windows of source rows equal those rows of the whole', (w, h, W, H) => {
    const data = bytes(w * h * 3, w + h * 3);
    const manifest = manifestOf(W, H, [128, 120, 100], [256, 58.4, 57.1]);
    const whole = planarFromRgbBilinear({ data: Buffer.from(data), width: w, height: h }, manifest);
    const plane = W * H;
    for (const [y0, y1] of [
      [0, 1],
      [3, 17],
      [Math.floor(H / 2), H],
    ]) {
      const { first, end } = sourceRowsOf(h, manifest.input, y0, y1);
      expect(first).toBeGreaterThanOrEqual(0);
      expect(end).toBeLessThanOrEqual(h);
      // Only the rows the band reads, copied: anything outside them would read past the window.
      const window = { data: data.slice(first * w * 3, end * w * 3), width: w, height: end - first };
      const band = new Float32Array(3 * W * (y1 - y0));
      planarRowsBilinear(window, h, first, manifest.input, y0, y1, band);
      for (let c = 0; c < 3; c++)
        expect(band.subarray(c * W * (y1 - y0), (c + 1) * W * (y1 - y0))).toEqual(whole.subarray(c * plane + y0 * W, c * plane + y1 * W));
    }
  });

  it('resizeMaskRows: any band equals those rows of the whole resize, in both coordinate systems', () => {
    const [w, h, W, H] = [64, 48, 301, 170];
    const alpha = bytes(w * h, 99);
    for (const [coordinates, whole] of [
      ['asymmetric', resizeMaskAsymmetric(alpha, w, h, W, H)],
      ['centred', resizeMask(alpha, w, h, W, H)],
    ] as const)
      for (const [y0, y1] of [
        [0, 1],
        [5, 77],
        [169, 170],
      ])
        expect(
          Buffer.from(resizeMaskRows(alpha, w, h, W, H, coordinates, y0, y1)).equals(Buffer.from(whole.subarray(y0 * W, y1 * W))),
        ).toBe(true);
  });
});
