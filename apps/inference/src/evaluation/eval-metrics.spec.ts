import { boundaryF, dilate, isTrimap, scoreAlpha, summarise } from './eval-metrics';

describe('eval metrics', () => {
  const w = 20;
  const h = 10;
  const square = (x0: number, x1: number, value = 255) => {
    const m = new Uint8Array(w * h);
    for (let y = 2; y < 8; y++) for (let x = x0; x < x1; x++) m[y * w + x] = value;
    return m;
  };

  it('scores a perfect prediction 1 / 0 / 1', () => {
    expect(scoreAlpha(square(5, 15), square(5, 15), w, h)).toEqual({ iou: 1, mae: 0, boundaryF: 1 });
  });

  it('IoU and MAE of a shifted square; boundary F within tolerance', () => {
    const s = scoreAlpha(square(7, 17), square(5, 15), w, h);
    expect(s.iou).toBeCloseTo(8 / 12);
    expect(s.mae).toBeCloseTo((4 * 6) / 200);
    expect(s.boundaryF).toBe(1); // a 2-pixel shift is within the 3-pixel tolerance
    expect(scoreAlpha(square(12, 20), square(0, 8), w, h).boundaryF).toBeLessThan(0.5);
  });

  it('treats the 128 band of a trimap as do-not-care', () => {
    const trimap = square(4, 16, 128);
    for (let y = 3; y < 7; y++) for (let x = 6; x < 14; x++) trimap[y * w + x] = 255;
    expect(isTrimap(trimap)).toBe(true);
    expect(isTrimap(square(5, 15, 200))).toBe(false);
    expect(scoreAlpha(square(5, 15), trimap, w, h)).toEqual({ iou: 1, mae: 0, boundaryF: 1 });
  });

  it('dilates with a square window', () => {
    const one = new Uint8Array(25);
    one[12] = 1;
    expect([...dilate(one, 5, 5, 1)].filter(Boolean).length).toBe(9);
    expect(boundaryF(new Uint8Array(25), new Uint8Array(25), 5, 5, 3)).toBe(1);
  });

  it('summarises per set and overall', () => {
    const s = summarise([
      { name: 'am_1', scores: { iou: 1, mae: 0, boundaryF: 1 } },
      { name: 'gc_1', scores: { iou: 0.5, mae: 0.2, boundaryF: 0.5 } },
      { name: 'gc_2', scores: { iou: 0, mae: 0.4, boundaryF: 0 } },
    ]);
    expect(s.overall).toMatchObject({ n: 3, iou: 0.5 });
    expect(s.sets['gc']).toMatchObject({ n: 2, iou: 0.25, mae: expect.closeTo(0.3) });
  });
});
