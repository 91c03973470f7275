import { meanAlpha, outputToAlpha, resizeMask, resizeMaskAsymmetric, subjectBox } from './mask';

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

  it('resizes a mask to the original size: edges kept, a linear ramp between them, the other axis untouched', async () => {
    const rows = (mask: Uint8Array, width: number) =>
      Array.from({ length: mask.length / width }, (_, y) => [...mask.subarray(y * width, (y + 1) * width)]);
    // Left column transparent, right column opaque: every row ramps the same way (±1 for rounding).
    const across = rows(await resizeMask(new Uint8Array([0, 255, 0, 255]), 2, 2, 8, 6), 8);
    expect(across).toHaveLength(6);
    for (const row of across) {
      row.forEach((v, x) => expect(Math.abs(v - [0, 0, 0, 64, 128, 191, 255, 255][x])).toBeLessThanOrEqual(1));
    }
    // Top row transparent, bottom row opaque: the same ramp down the columns, each row uniform.
    const down = rows(await resizeMask(new Uint8Array([0, 0, 255, 255]), 2, 2, 4, 4), 4);
    down.forEach((row, y) => row.forEach((v) => expect(Math.abs(v - [0, 0, 128, 255][y])).toBeLessThanOrEqual(1)));
    // Same size: the mask itself.
    const same = new Uint8Array([1, 2, 3, 4]);
    expect(await resizeMask(same, 2, 2, 2, 2)).toBe(same);
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
});
