import { selectSplit } from '../src/evaluation/eval-split';
import {
  DEFAULT_SHEET_IMAGES,
  edgeWindow,
  escapeMarkup,
  fitInside,
  parseImageNames,
  PARTIAL_ALPHA,
  windowSide,
} from './quality-sheet-layout';

/** A width×height plane of `fill` with a rectangle of `value`. */
function plane(width: number, height: number, fill: number, rect?: { left: number; top: number; w: number; h: number; value: number }) {
  const a = new Uint8Array(width * height).fill(fill);
  if (rect)
    for (let y = rect.top; y < rect.top + rect.h; y++) for (let x = rect.left; x < rect.left + rect.w; x++) a[y * width + x] = rect.value;
  return a;
}

describe('edgeWindow', () => {
  it('finds the block of partly transparent pixels', () => {
    const alpha = plane(64, 48, 0, { left: 40, top: 20, w: 8, h: 8, value: 128 });
    const win = edgeWindow([alpha], 64, 48, 8, 1);
    expect(win).toEqual({ left: 40, top: 20, width: 8, height: 8, partial: 64 });
  });

  it('ignores values outside the partial band (near 0 and near 255)', () => {
    const noise = plane(32, 32, 0, { left: 0, top: 0, w: 16, h: 16, value: PARTIAL_ALPHA.low - 1 });
    for (let y = 16; y < 32; y++) for (let x = 0; x < 16; x++) noise[y * 32 + x] = PARTIAL_ALPHA.high + 1;
    noise[20 * 32 + 25] = PARTIAL_ALPHA.low;
    noise[21 * 32 + 26] = PARTIAL_ALPHA.high;
    const win = edgeWindow([noise], 32, 32, 4, 1);
    expect(win.partial).toBe(2);
    expect(win.left).toBeLessThanOrEqual(25);
    expect(win.left + win.width).toBeGreaterThan(26);
    expect(win.top).toBeLessThanOrEqual(20);
    expect(win.top + win.height).toBeGreaterThan(21);
  });

  it('sums over every plane, so one crop serves all variants', () => {
    const a = plane(40, 10, 0, { left: 0, top: 0, w: 5, h: 10, value: 100 }); // 50 partial pixels at the left
    const b = plane(40, 10, 0, { left: 30, top: 0, w: 10, h: 10, value: 100 }); // 100 at the right
    const c = plane(40, 10, 0, { left: 30, top: 0, w: 10, h: 10, value: 200 }); // 100 more at the right
    expect(edgeWindow([a], 40, 10, 10, 1).left).toBe(0);
    expect(edgeWindow([a, b, c], 40, 10, 10, 1)).toEqual({ left: 30, top: 0, width: 10, height: 10, partial: 200 });
  });

  it('reaches the last position on each axis whatever the step', () => {
    const alpha = plane(23, 17, 0, { left: 19, top: 13, w: 4, h: 4, value: 50 });
    expect(edgeWindow([alpha], 23, 17, 4, 5)).toEqual({ left: 19, top: 13, width: 4, height: 4, partial: 16 });
  });

  it('keeps the first window on ties and clips the window to the image', () => {
    expect(edgeWindow([plane(10, 6, 255)], 10, 6, 20, 1)).toEqual({ left: 0, top: 0, width: 10, height: 6, partial: 0 });
  });

  it('refuses planes of the wrong size', () => {
    expect(() => edgeWindow([new Uint8Array(5)], 3, 3, 2)).toThrow(/alpha plane of 5 values for 3x3/);
  });
});

describe('windowSide and fitInside', () => {
  it('caps the crop at half the shorter side', () => {
    expect(windowSide(800, 600, 120)).toBe(120);
    expect(windowSide(321, 200, 120)).toBe(100);
    expect(windowSide(1, 1, 120)).toBe(1);
  });

  it('fits into the box without enlarging, keeping the aspect ratio', () => {
    expect(fitInside(800, 600, 360)).toEqual({ width: 360, height: 270 });
    expect(fitInside(450, 600, 360)).toEqual({ width: 270, height: 360 });
    expect(fitInside(200, 100, 360)).toEqual({ width: 200, height: 100 });
  });
});

describe('escapeMarkup', () => {
  it('escapes the five markup characters', () => {
    expect(escapeMarkup(`<a href="x">Tom's & co</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom&#39;s &amp; co&lt;/a&gt;');
  });
});

describe('parseImageNames', () => {
  it('defaults to the chosen photos, all from the report half', () => {
    expect(parseImageNames(undefined)).toEqual([...DEFAULT_SHEET_IMAGES]);
    expect(parseImageNames(' ')).toEqual([...DEFAULT_SHEET_IMAGES]);
    // The split is decided by name alone, so it can be checked against the dev set's names here.
    const devSet = [
      ...['01', '03', '05', '07', '09', '11', '13', '15', '17', '19', '21', '23', '25', '27'].map((n) => `am_GT${n}`),
      ...'106024 153077 181079 208001 21077 24077 304074 37073 388016 69020 banana1 banana3 bool ceramic doll flower grave memorial person1 person3 person5 person7 scissors stone1 teddy'
        .split(' ')
        .map((n) => `gc_${n}`),
    ].map((name) => ({ name }));
    const report = new Set(selectSplit(devSet, 'report').map((i) => i.name));
    expect(DEFAULT_SHEET_IMAGES.filter((n) => !report.has(n))).toEqual([]);
  });

  it('splits on commas, drops extensions, blanks and duplicates', () => {
    expect(parseImageNames('am_GT07, gc_doll.png,,gc_person1.jpg,am_GT07')).toEqual(['am_GT07', 'gc_doll', 'gc_person1']);
  });
});
