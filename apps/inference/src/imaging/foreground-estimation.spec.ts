import {
  BAND_PIXEL_BYTES,
  bandWithinBudget,
  decontaminate,
  decontaminateBox,
  estimateForeground,
  FOREGROUND_DEFAULTS,
  MAX_BAND_PIXELS,
} from './foreground-estimation';
import { cityBlockDistance, guardPixels, guardWeight } from './foreground-band';
import { SWEEP_MEMORY_MAX_PIXELS } from './foreground-sweeps';
import { planSplit } from './decontamination-split';

type Colour = [number, number, number];

/** I = αF + (1 − α)B, rounded to 8 bits, from per-pixel F, B and an 8-bit alpha. */
function compose(
  width: number,
  height: number,
  alpha: Uint8Array,
  fg: (x: number, y: number) => Colour,
  bg: (x: number, y: number) => Colour,
) {
  const rgb = new Uint8Array(width * height * 3);
  const truth = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const a = alpha[i] / 255;
      const f = fg(x, y);
      const b = bg(x, y);
      for (let c = 0; c < 3; c++) {
        rgb[i * 3 + c] = Math.round(a * f[c] + (1 - a) * b[c]);
        truth[i * 3 + c] = f[c];
      }
    }
  return { rgb, truth };
}

/** Mean |ΔRGB| / 255 over the pixels with 0 < α < 255. */
function bandError(alpha: Uint8Array, estimate: Uint8Array, truth: Uint8Array): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < alpha.length; i++) {
    if (alpha[i] === 0 || alpha[i] === 255) continue;
    for (let c = 0; c < 3; c++) sum += Math.abs(estimate[i * 3 + c] - truth[i * 3 + c]);
    n++;
  }
  return sum / n / 3 / 255;
}

/** Alpha ramping from 0 (left) to 255 (right) across the middle of the image, 0 and 255 at the sides. */
function rampAlpha(width: number, height: number, from: number, to: number): Uint8Array {
  const alpha = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) alpha[y * width + x] = Math.round(255 * Math.min(1, Math.max(0, (x - from) / (to - from))));
  return alpha;
}

const RED: Colour = [200, 30, 30];
const GREEN: Colour = [30, 180, 40];
const checker = (x: number, y: number): Colour => (((x >> 1) + (y >> 1)) % 2 === 0 ? [240, 240, 240] : [20, 60, 20]);

describe('estimateForeground / decontaminate (Germer et al. multi-level foreground estimation)', () => {
  it('recovers a flat red foreground over flat green: the band error falls by a clear margin against keeping I', () => {
    const alpha = rampAlpha(16, 16, 2, 13);
    const { rgb, truth } = compose(
      16,
      16,
      alpha,
      () => RED,
      () => GREEN,
    );
    const out = decontaminate(rgb, alpha, 16, 16);
    const keep = bandError(alpha, rgb, truth);
    const estimated = bandError(alpha, out, truth);
    expect(keep).toBeGreaterThan(0.1);
    expect(estimated).toBeLessThan(keep * 0.25);
  });

  it('recovers a flat foreground over a checker background', () => {
    const alpha = rampAlpha(16, 16, 3, 12);
    const { rgb, truth } = compose(16, 16, alpha, () => RED, checker);
    const out = decontaminate(rgb, alpha, 16, 16);
    // A 2-pixel checker is the hard case (B is anything but smooth): about ×0.63 with the defaults.
    expect(bandError(alpha, out, truth)).toBeLessThan(bandError(alpha, rgb, truth) * 0.7);
  });

  it('leaves opaque and transparent pixels as they are, and changes partly transparent ones', () => {
    const alpha = rampAlpha(16, 16, 2, 13);
    const { rgb } = compose(
      16,
      16,
      alpha,
      () => RED,
      () => GREEN,
    );
    const out = decontaminate(rgb, alpha, 16, 16);
    let changed = 0;
    for (let i = 0; i < alpha.length; i++) {
      const same = [0, 1, 2].every((c) => out[i * 3 + c] === rgb[i * 3 + c]);
      if (alpha[i] === 0 || alpha[i] === 255) expect(same).toBe(true);
      else if (!same) changed++;
    }
    expect(changed).toBeGreaterThan(0);
  });

  it('takes float alpha (0..1) like 8-bit alpha', () => {
    const alpha = rampAlpha(16, 16, 2, 13);
    const { rgb } = compose(16, 16, alpha, () => RED, checker);
    const asFloat = Float32Array.from(alpha, (a) => a / 255);
    const fromBytes = decontaminate(rgb, alpha, 16, 16);
    const fromFloats = decontaminate(rgb, asFloat, 16, 16);
    let maxDiff = 0;
    for (let k = 0; k < rgb.length; k++) maxDiff = Math.max(maxDiff, Math.abs(fromBytes[k] - fromFloats[k]));
    expect(maxDiff).toBeLessThanOrEqual(1);
  });

  it('returns the image unchanged when every pixel is opaque, or every pixel transparent', () => {
    const { rgb } = compose(9, 7, new Uint8Array(63), () => RED, checker);
    for (const value of [0, 255]) {
      const alpha = new Uint8Array(63).fill(value);
      expect(estimateForeground(rgb, alpha, 9, 7).band).toHaveLength(0);
      expect([...decontaminate(rgb, alpha, 9, 7)]).toEqual([...rgb]);
    }
  });

  it.each([
    [1, 1],
    [3, 1],
    [1, 9],
    [7, 5],
    [17, 2],
  ])('handles a %i×%i image: finite colours within 0..255 for every band pixel', (width, height) => {
    const n = width * height;
    const alpha = Uint8Array.from({ length: n }, (_, i) => [128, 0, 255, 40, 200][i % 5]);
    const rgb = Uint8Array.from({ length: n * 3 }, (_, k) => (k * 37) % 256);
    // Without the guard (a 1 × 1 image has no background pixel to measure a distance from).
    const { band, foreground, background } = estimateForeground(rgb, alpha, width, height, { guardDistance: Infinity });
    expect(band.length).toBe([...alpha].filter((a) => a > 0 && a < 255).length);
    expect(foreground).toHaveLength(band.length * 3);
    for (const v of [...foreground, ...background]) {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(255);
    }
    expect(decontaminate(rgb, alpha, width, height)).toHaveLength(n * 3);
  });

  it('sweeps only the band on large levels with about the error of sweeping every pixel', () => {
    // 300 × 300 = 90,000 pixels: the finest level is over the default dense limit (65,536).
    const alpha = rampAlpha(300, 300, 140, 160);
    const { rgb, truth } = compose(
      300,
      300,
      alpha,
      (x, y) => [200, 30 + ((x + y) % 40), 30],
      (x) => [30, 150 + (x % 50), 40],
    );
    expect(300 * 300).toBeGreaterThan(FOREGROUND_DEFAULTS.denseLimit);
    const restricted = bandError(alpha, decontaminate(rgb, alpha, 300, 300), truth);
    const dense = bandError(alpha, decontaminate(rgb, alpha, 300, 300, { denseLimit: Infinity }), truth);
    const keep = bandError(alpha, rgb, truth);
    expect(restricted).toBeLessThan(keep * 0.25);
    expect(restricted).toBeLessThan(dense + 0.02);
  });

  it('reuses the finest sweep’s memory between calls without carrying anything over (same result before and after other sizes)', () => {
    const scene = (size: number, seed: number) => {
      const alpha = rampAlpha(size, size, size * 0.45, size * 0.55);
      const { rgb } = compose(
        size,
        size,
        alpha,
        (x, y) => [200, (30 + seed + x + y) % 255, 30],
        (x) => [30, 150 + ((x * seed) % 50), 40],
      );
      return { rgb, alpha, size };
    };
    const a = scene(300, 3);
    const b = scene(420, 7);
    const c = scene(260, 11);
    const first = decontaminate(a.rgb, a.alpha, a.size, a.size);
    // A larger band grows the memory, a smaller one leaves stale values past its end, then a again.
    const big = decontaminate(b.rgb, b.alpha, b.size, b.size);
    decontaminate(c.rgb, c.alpha, c.size, c.size);
    expect(Buffer.from(decontaminate(a.rgb, a.alpha, a.size, a.size)).equals(Buffer.from(first))).toBe(true);
    expect(Buffer.from(decontaminate(b.rgb, b.alpha, b.size, b.size)).equals(Buffer.from(big))).toBe(true);
    // These bands are far below the reuse limit (the path every photo of typical size takes).
    expect(b.size * b.size).toBeLessThan(SWEEP_MEMORY_MAX_PIXELS);
  });

  it('on a large image, keeps I where α ≥ opaqueFrom and gives the nearly transparent pixels a colour without sweeping them', () => {
    const width = 300;
    const height = 240;
    const alpha = rampAlpha(width, height, 100, 200);
    const { rgb, truth } = compose(
      width,
      height,
      alpha,
      () => RED,
      () => GREEN,
    );
    // A 100-pixel ramp: without the guard, which would keep I in its middle (tested below).
    const options = { sweepFrom: 0.02, opaqueFrom: 0.95, guardDistance: Infinity };
    const { band } = estimateForeground(rgb, alpha, width, height, options);
    const inBand = new Set(band);
    const out = decontaminate(rgb, alpha, width, height, options);
    for (let i = 0; i < alpha.length; i++) {
      const a = alpha[i] / 255;
      const same = [0, 1, 2].every((c) => out[i * 3 + c] === rgb[i * 3 + c]);
      if (a === 0 || a >= options.opaqueFrom) {
        expect(inBand.has(i)).toBe(false);
        expect(same).toBe(true);
      } else expect(inBand.has(i)).toBe(true);
    }
    // The faint pixels' colours come from the coarser level: closer to red than to the green they show.
    const faint = [...band].filter((i) => alpha[i] / 255 < options.sweepFrom);
    expect(faint.length).toBeGreaterThan(0);
    for (const i of faint) expect(Math.abs(out[i * 3] - truth[i * 3])).toBeLessThan(Math.abs(rgb[i * 3] - truth[i * 3]));
  });

  it('refuses a regularisation that is not positive, a relaxation outside (0, 2), and an alpha smaller than the image', () => {
    const rgb = new Uint8Array(12);
    expect(() => estimateForeground(rgb, new Uint8Array(4), 2, 2, { regularization: 0 })).toThrow(/regularization/);
    for (const relaxation of [0, 2, -1, Number.NaN]) {
      expect(() => estimateForeground(rgb, new Uint8Array(4), 2, 2, { relaxation })).toThrow(/relaxation must be between 0 and 2/);
      // The split path too (a photo large enough to split), before any work.
      const big = 400 * 300;
      expect(() => planSplit(new Uint8Array(big * 3), new Uint8Array(big).fill(128), 400, 300, 400, 300, { relaxation })).toThrow(
        /relaxation must be between 0 and 2/,
      );
    }
    expect(() => estimateForeground(rgb, new Uint8Array(3), 2, 2)).toThrow(/smaller than 2x2/);
  });
});

describe('the guard against model errors', () => {
  it.each([
    [80, 64],
    [400, 300],
  ])(
    '%i×%i: an interior α = 0.5 far from any background keeps I, while the edge band next to the background is re-coloured',
    (width, height) => {
      // Left: background (α 0); a 6-pixel ramp; then an opaque subject holding a block of α = 0.5 far inside
      // (beyond the fade's end D2, where pixels keep I).
      const edge = 8;
      const alpha = new Uint8Array(width * height);
      const from = edge + guardPixels(FOREGROUND_DEFAULTS.guardFade, width, height) + 2;
      const inner = (x: number, y: number) => x >= from && x < from + 12 && y >= height / 2 - 6 && y < height / 2 + 6;
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++)
          alpha[y * width + x] = x < edge ? 0 : x < edge + 6 ? Math.round((255 * (x - edge + 1)) / 7) : inner(x, y) ? 128 : 255;
      // The photo: red subject, green background mixed in at the ramp; the interior block is what a model got wrong (opaque red-ish fur).
      const { rgb } = compose(
        width,
        height,
        alpha,
        () => RED,
        () => GREEN,
      );
      for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (inner(x, y)) rgb.set([180, 60, 90], (y * width + x) * 3);
      const guarded = decontaminate(rgb, alpha, width, height);
      const unguarded = decontaminate(rgb, alpha, width, height, { guardDistance: Infinity });
      let interiorChanged = 0;
      let unguardedInteriorChanged = 0;
      let edgeRecoloured = 0;
      let edgeCount = 0;
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) {
          const i = y * width + x;
          const k = i * 3;
          const same = (out: Uint8Array) => [0, 1, 2].every((c) => out[k + c] === rgb[k + c]);
          if (inner(x, y)) {
            if (!same(guarded)) interiorChanged++;
            if (!same(unguarded)) unguardedInteriorChanged++;
          } else if (alpha[i] > 0 && alpha[i] < 255) {
            edgeCount++;
            // Re-coloured towards red: less green than the photo shows.
            if (guarded[k + 1] < rgb[k + 1] - 10) edgeRecoloured++;
          }
        }
      expect(interiorChanged).toBe(0);
      // Without the guard the interior is re-coloured (the failure the guard prevents).
      expect(unguardedInteriorChanged).toBeGreaterThan(0);
      expect(edgeCount).toBe(6 * height);
      expect(edgeRecoloured).toBe(edgeCount);
    },
  );

  it.each([
    [120, 40],
    [300, 240],
  ])('%i×%i: between D1 and D2 the colour fades from the estimate to the photo by the linear weight (no seam)', (width, height) => {
    // Background (α 0) on the left, then a wide band of α = 0.5 reaching past D2: a model's half-transparent fur.
    const edge = 4;
    const alpha = Uint8Array.from({ length: width * height }, (_, i) => (i % width < edge ? 0 : 128));
    const { rgb } = compose(
      width,
      height,
      alpha,
      () => RED,
      () => GREEN,
    );
    const [D1, D2] = [16, 48];
    // The same band and pins (D = D2 − 1) without the fade: the unblended estimate.
    const hard = estimateForeground(rgb, alpha, width, height, { guardDistance: D2 - 1, guardFade: D2 - 1 });
    const faded = estimateForeground(rgb, alpha, width, height, { guardDistance: D1, guardFade: D2 });
    expect([...faded.band]).toEqual([...hard.band]);
    const dist = cityBlockDistance(alpha, width, height, FOREGROUND_DEFAULTS.backgroundBelow, 1000);
    let between = 0;
    for (let b = 0; b < faded.band.length; b++) {
      const i = faded.band[b];
      const d = dist[i];
      expect(d).toBeLessThan(D2);
      const w = guardWeight(d, D1, D2);
      for (let c = 0; c < 3; c++) {
        const expected = w * hard.foreground[b * 3 + c] + (1 - w) * rgb[i * 3 + c];
        expect(faded.foreground[b * 3 + c]).toBeCloseTo(expected, 2);
      }
      if (w > 0 && w < 1) {
        between++;
        // Red strictly between the photo's (a red–green mix) and the estimate's (closer to pure red).
        const [photo, estimate, shown] = [rgb[i * 3], hard.foreground[b * 3], faded.foreground[b * 3]];
        expect(estimate).toBeGreaterThan(photo + 20);
        expect(shown).toBeGreaterThan(photo);
        expect(shown).toBeLessThan(estimate);
      }
    }
    expect(between).toBe((D2 - D1 - 1) * height);
    // Pixels at D2 or farther keep the photo's colour; those up to D1 get the estimate in full.
    const out = decontaminate(rgb, alpha, width, height, { guardDistance: D1, guardFade: D2 });
    for (let y = 0; y < height; y++) {
      const far = (y * width + edge - 1 + D2) * 3;
      expect([...out.subarray(far, far + 3)]).toEqual([...rgb.subarray(far, far + 3)]);
      const near = (y * width + edge - 1 + D1) * 3;
      expect(out[near]).toBeGreaterThan(rgb[near] + 20);
    }
  });
});

describe('the cheaper finest level', () => {
  it('does not sweep the faint pixels (α < sweepFrom, 4/255 by default): they take the coarser level’s colour, closer to the truth than I', () => {
    // 300 × 240 is over the dense limit: the finest level is swept over the band only.
    const [width, height] = [300, 240];
    const alpha = rampAlpha(width, height, 100, 200);
    const { rgb, truth } = compose(
      width,
      height,
      alpha,
      () => RED,
      () => GREEN,
    );
    expect(FOREGROUND_DEFAULTS.sweepFrom).toBeGreaterThan(4 / 255);
    expect(FOREGROUND_DEFAULTS.sweepFrom).toBeLessThan(5 / 255);
    const one = estimateForeground(rgb, alpha, width, height, { finestIterations: 1 });
    const many = estimateForeground(rgb, alpha, width, height, { finestIterations: 6 });
    expect([...many.band]).toEqual([...one.band]);
    let faint = 0;
    let sweptChanged = 0;
    for (let b = 0; b < one.band.length; b++) {
      const i = one.band[b];
      const same = [0, 1, 2].every((c) => one.foreground[b * 3 + c] === many.foreground[b * 3 + c]);
      if (alpha[i] <= 4) {
        faint++;
        // Not swept: the finest level's sweeps do not touch them.
        expect(same).toBe(true);
        expect(Math.abs(one.foreground[b * 3] - truth[i * 3])).toBeLessThan(Math.abs(rgb[i * 3] - truth[i * 3]));
      } else if (!same) sweptChanged++;
    }
    expect(faint).toBeGreaterThan(0);
    expect(sweptChanged).toBeGreaterThan(0);
    // Swept with sweepFrom 0, the same faint pixels do change with the sweeps.
    const sweptOne = estimateForeground(rgb, alpha, width, height, { finestIterations: 1, sweepFrom: 0 });
    const sweptMany = estimateForeground(rgb, alpha, width, height, { finestIterations: 6, sweepFrom: 0 });
    let faintChanged = 0;
    for (let b = 0; b < sweptOne.band.length; b++)
      if (alpha[sweptOne.band[b]] <= 4 && sweptOne.foreground[b * 3] !== sweptMany.foreground[b * 3]) faintChanged++;
    expect(faintChanged).toBeGreaterThan(0);
  });
});

describe('review fixes: bounds and the guard', () => {
  // 300 × 240 is over the dense limit (band-only finest level); a red subject fading into green.
  const [width, height] = [300, 240];
  const alpha = rampAlpha(width, height, 100, 200);
  const { rgb } = compose(
    width,
    height,
    alpha,
    () => RED,
    () => GREEN,
  );
  const bandPixels = alpha.filter((a) => a > 0 && a < 255 * FOREGROUND_DEFAULTS.opaqueFrom).length;

  it('the skip rule: within the budget up to MAX_BAND_PIXELS band pixels (≤ ~1 GB on the finest level), not above', () => {
    expect(bandWithinBudget(0)).toBe(true);
    expect(bandWithinBudget(MAX_BAND_PIXELS)).toBe(true);
    expect(bandWithinBudget(MAX_BAND_PIXELS + 1)).toBe(false);
    expect(bandWithinBudget(10, 9)).toBe(false);
    expect(bandWithinBudget(1e12, Infinity)).toBe(true);
    expect(MAX_BAND_PIXELS * BAND_PIXEL_BYTES).toBeLessThanOrEqual(2 ** 30);
    expect(FOREGROUND_DEFAULTS.maxBandPixels).toBe(MAX_BAND_PIXELS);
  });

  it('over maxBandPixels nothing is estimated and the photo colours are kept (reported with the band size)', () => {
    expect(bandPixels).toBeGreaterThan(1000);
    const skipped = estimateForeground(rgb, alpha, width, height, { maxBandPixels: bandPixels - 1 });
    expect(skipped.band).toHaveLength(0);
    expect(skipped.skippedBandPixels).toBe(bandPixels);
    const kept = decontaminate(rgb, alpha, width, height, { maxBandPixels: bandPixels - 1 });
    expect(kept.equals(Buffer.from(rgb))).toBe(true);
    expect(kept.buffer).not.toBe(rgb.buffer);
    const box = decontaminateBox(rgb, alpha, width, height, { left: 0, top: 0, width, height }, { maxBandPixels: bandPixels - 1 });
    expect(box.skippedBandPixels).toBe(bandPixels);
    // At the budget it still runs.
    const run = estimateForeground(rgb, alpha, width, height, { maxBandPixels: bandPixels });
    expect(run.skippedBandPixels).toBeUndefined();
    expect(run.band.length).toBeGreaterThan(0);
    expect(decontaminate(rgb, alpha, width, height, { maxBandPixels: bandPixels }).equals(Buffer.from(rgb))).toBe(false);
  });

  it('decontaminate (which builds no background) gives the full estimate’s foreground colours, rounded', () => {
    const full = estimateForeground(rgb, alpha, width, height);
    expect(full.background).toHaveLength(full.band.length * 3);
    const out = decontaminate(rgb, alpha, width, height);
    for (let b = 0; b < full.band.length; b++) {
      const k = full.band[b] * 3;
      for (let c = 0; c < 3; c++) expect(out[k + c]).toBe(Math.floor(full.foreground[b * 3 + c] + 0.5));
    }
  });

  it('decontaminateBox: only the box is estimated (the photo outside it plays no part), with the whole photo’s guard distances', () => {
    // Outside the box: α 0 over blue, which the whole-photo estimate sees in its background.
    const box = { left: 80, top: 30, width: 150, height: 120 };
    const photo = Uint8Array.from(rgb);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const inside = x >= box.left && x < box.left + box.width && y >= box.top && y < box.top + box.height;
        if (!inside && alpha[y * width + x] === 0) photo.set([20, 20, 230], (y * width + x) * 3);
      }
    const crop = { rgb: new Uint8Array(box.width * box.height * 3), alpha: new Uint8Array(box.width * box.height) };
    for (let y = 0; y < box.height; y++) {
      const from = (box.top + y) * width + box.left;
      crop.rgb.set(photo.subarray(from * 3, (from + box.width) * 3), y * box.width * 3);
      crop.alpha.set(alpha.subarray(from, from + box.width), y * box.width);
    }
    const out = decontaminateBox(photo, alpha, width, height, box);
    expect(out.rgb).toHaveLength(box.width * box.height * 3);
    expect(out.skippedBandPixels).toBeUndefined();
    // Both under 1024 px: the same guard distances.
    expect(Buffer.from(out.rgb).equals(decontaminate(crop.rgb, crop.alpha, box.width, box.height))).toBe(true);
    expect(() => decontaminateBox(photo, alpha, width, height, { ...box, left: width - 10 })).toThrow(RangeError);
  });

  it('guardFade Infinity with a finite guardDistance keeps the guard: D2 is clamped to the distance cap', () => {
    const capped = estimateForeground(rgb, alpha, width, height, { guardDistance: 2, guardFade: 65534 });
    const endless = estimateForeground(rgb, alpha, width, height, { guardDistance: 2, guardFade: Infinity });
    const unguarded = estimateForeground(rgb, alpha, width, height, { guardDistance: Infinity });
    expect([...endless.band]).toEqual([...capped.band]);
    expect([...endless.foreground]).toEqual([...capped.foreground]);
    // Faded beyond D1 (slightly, over 65532 pixels): not the unguarded estimate.
    expect([...endless.foreground]).not.toEqual([...unguarded.foreground]);
  });
});
