import { meanAlpha, outputToAlpha, resizeMask, resizeMaskAsymmetric, resizeMaskRows, subjectBox } from './mask';

/**
 * The bilinear resize by its definition, one output pixel at a time: source coordinate per axis
 * ('centred': (i + 0.5) · in/out − 0.5, clamped; 'asymmetric': i · in/out, the far tap clamped),
 * interpolated across the two source rows, then down, rounded.
 */
function resizeByDefinition(mask: Uint8Array, width: number, height: number, toWidth: number, toHeight: number, centred: boolean) {
  const tap = (i: number, size: number, outSize: number) => {
    const f = centred ? Math.max(0, (i + 0.5) * (size / outSize) - 0.5) : i * (size / outSize);
    const lo = centred ? Math.min(Math.floor(f), size - 1) : Math.floor(f);
    return { lo, hi: centred ? Math.min(lo + 1, size - 1) : Math.min(Math.ceil(f), size - 1), frac: f - lo };
  };
  const out = new Uint8Array(toWidth * toHeight);
  for (let y = 0; y < toHeight; y++) {
    const ty = tap(y, height, toHeight);
    for (let x = 0; x < toWidth; x++) {
      const tx = tap(x, width, toWidth);
      const at = (r: number) => mask[r * width + tx.lo] + (mask[r * width + tx.hi] - mask[r * width + tx.lo]) * tx.frac;
      const top = at(ty.lo);
      out[y * toWidth + x] = top + (at(ty.hi) - top) * ty.frac + 0.5;
    }
  }
  return out;
}

describe('mask helpers', () => {
  it('turns model output into rounded, clamped 8-bit alpha', () => {
    expect([...outputToAlpha(new Float32Array([-0.2, 0, 0.5, 1, 1.3]), 'none')]).toEqual([0, 0, 128, 255, 255]);
    expect([...outputToAlpha(new Float32Array([0, 100]), 'sigmoid')]).toEqual([128, 255]);
    expect([...outputToAlpha(new Float32Array([2, 4, 6]), 'minmax')]).toEqual([0, 128, 255]);
  });

  it('finds the subject box with a margin in pixels or percent, clipped to the image', () => {
    const w = 10;
    const alpha = new Uint8Array(w * 10);
    for (let y = 3; y <= 5; y++) for (let x = 4; x <= 7; x++) alpha[y * w + x] = 255;
    expect(subjectBox(alpha, w, 10, { value: 0, unit: 'px' })).toEqual({ left: 4, top: 3, width: 4, height: 3 });
    expect(subjectBox(alpha, w, 10, { value: 1, unit: 'px' })).toEqual({ left: 3, top: 2, width: 6, height: 5 });
    expect(subjectBox(alpha, w, 10, { value: 100, unit: '%' })).toEqual({ left: 0, top: 0, width: 10, height: 10 });
    expect(subjectBox(new Uint8Array(100), w, 10, { value: 0, unit: 'px' })).toBeUndefined();
    expect(meanAlpha(alpha)).toBeCloseTo(12 / 100);
  });

  it('meanAlpha: the exact byte sum over whole words and a tail, aligned or not, through lanes full of 255s', () => {
    const naive = (a: Uint8Array) => a.reduce((sum, v) => sum + v, 0) / a.length / 255;
    const memory = new Uint8Array(4 * 1000 + 7);
    for (let i = 0; i < memory.length; i++) memory[i] = i % 3 === 0 ? 255 : (i * 37) & 0xff;
    const allOpaque = new Uint8Array(4 * 600).fill(255);
    expect(meanAlpha(allOpaque)).toBe(1);
    for (const [offset, length] of [
      [0, 4000],
      [0, 4003],
      [4, 3999],
      [1, 4001],
      [3, 5],
      [0, 1],
    ]) {
      const view = memory.subarray(offset, offset + length);
      expect([offset, length, meanAlpha(view)]).toEqual([offset, length, naive(view)]);
    }
    expect(meanAlpha(new Uint8Array(0))).toBe(0);
  });

  it('resizes a mask to the original size with pixel centres aligned: edges kept, a linear ramp between, the other axis untouched', () => {
    const rows = (mask: Uint8Array, width: number) =>
      Array.from({ length: mask.length / width }, (_, y) => [...mask.subarray(y * width, (y + 1) * width)]);
    // Left column transparent, right column opaque: source x = (x + 0.5) / 4 - 0.5, clamped; every row the same.
    const across = rows(resizeMask(new Uint8Array([0, 255, 0, 255]), 2, 2, 8, 6), 8);
    expect(across).toHaveLength(6);
    for (const row of across) expect(row).toEqual([0, 0, 32, 96, 159, 223, 255, 255]);
    // Top row transparent, bottom row opaque: the same ramp down the columns, each row uniform.
    const down = rows(resizeMask(new Uint8Array([0, 0, 255, 255]), 2, 2, 4, 4), 4);
    expect(down.map((row) => row[0])).toEqual([0, 64, 191, 255]);
    down.forEach((row) => expect(new Set(row).size).toBe(1));
    // Same size: the mask itself.
    const same = new Uint8Array([1, 2, 3, 4]);
    expect(resizeMask(same, 2, 2, 2, 2)).toBe(same);
  });

  it('upscales a mirrored mask to the mirrored result (no half-pixel shift) and keeps a flat mask flat', () => {
    // Regression: sharp's linear resize moved the mask half an output pixel to the right.
    const w = 7;
    const h = 5;
    const mask = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) mask[y * w + x] = (x * 37 + y * 61) % 256;
    const mirror = (m: Uint8Array, width: number) => {
      const out = new Uint8Array(m.length);
      for (let i = 0; i < m.length; i++) {
        const y = Math.floor(i / width);
        out[i] = m[y * width + (width - 1 - (i - y * width))];
      }
      return out;
    };
    const W = 19;
    const H = 11;
    expect([...resizeMask(mirror(mask, w), w, h, W, H)]).toEqual([...mirror(resizeMask(mask, w, h, W, H), W)]);
    expect(new Set(resizeMask(new Uint8Array(12).fill(200), 4, 3, 13, 9))).toEqual(new Set([200]));
    // Down as well as up (an output smaller than the model's plane), values stay in range.
    const small = resizeMask(mask, w, h, 3, 2);
    expect(small).toHaveLength(6);
  });

  it('resizes in ONNX asymmetric coordinates (output pixel x samples input x * in/out), clamped at the far edge', () => {
    expect([...resizeMaskAsymmetric(new Uint8Array([0, 255, 0, 255]), 2, 2, 4, 3)]).toEqual([
      0, 128, 255, 255, 0, 128, 255, 255, 0, 128, 255, 255,
    ]);
    expect([...resizeMaskAsymmetric(new Uint8Array([0, 0, 255, 255]), 2, 2, 3, 4)]).toEqual([
      0, 0, 0, 128, 128, 128, 255, 255, 255, 255, 255, 255,
    ]);
    const same = new Uint8Array([1, 2, 3, 4]);
    expect(resizeMaskAsymmetric(same, 2, 2, 2, 2)).toBe(same);
  });

  it('gives the per-pixel formula bytes where it fills constant runs of 0 and 255: up and down, both coordinate systems, any band of rows', () => {
    // Runs of 0 and 255 (wider and narrower than a block of output pixels), soft values between.
    const width = 97;
    const height = 41;
    const mask = new Uint8Array(width * height);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const d = Math.hypot(x - 48, y - 20) - 14 + 6 * Math.sin(x / 5);
        mask[y * width + x] = d < -3 ? 255 : d > 3 ? 0 : Math.round(((3 - d) / 6) * 255);
      }
    // A row of single-pixel alternations, and a run of 255 beside one of 0 in the last row.
    for (let x = 0; x < width; x++) mask[5 * width + x] = x % 2 ? 255 : 0;
    mask.fill(255, (height - 1) * width, (height - 1) * width + 50);
    const counts = { runs: 0, soft: 0 };
    for (const v of mask)
      if (v === 0 || v === 255) counts.runs++;
      else counts.soft++;
    expect(counts.runs).toBeGreaterThan(counts.soft);
    expect(counts.soft).toBeGreaterThan(100);
    for (const [toWidth, toHeight] of [
      [301, 130],
      [1000, 77],
      [40, 19],
    ])
      for (const coordinates of ['centred', 'asymmetric'] as const) {
        const expected = resizeByDefinition(mask, width, height, toWidth, toHeight, coordinates === 'centred');
        const whole =
          coordinates === 'centred'
            ? resizeMask(mask, width, height, toWidth, toHeight)
            : resizeMaskAsymmetric(mask, width, height, toWidth, toHeight);
        expect({ coordinates, toWidth, same: Buffer.compare(whole, expected) === 0 }).toEqual({ coordinates, toWidth, same: true });
        // A band of rows (what a worker writes) equals those rows of the whole.
        const y0 = Math.floor(toHeight / 3);
        const y1 = Math.floor((2 * toHeight) / 3);
        const band = resizeMaskRows(mask, width, height, toWidth, toHeight, coordinates, y0, y1);
        expect(Buffer.compare(band, expected.subarray(y0 * toWidth, y1 * toWidth))).toBe(0);
      }
  });
});
