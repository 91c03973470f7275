import { largeBuffers } from './buffer-pool';
import { planSplit } from './decontamination-split';
import { decontaminateBox, type PixelBox } from './foreground-estimation';
import {
  decontaminateBoxParallel,
  measuredSplitCosts,
  modelInputParallel,
  PARALLEL_MIN_PIXELS,
  resizeMaskParallel,
  runSplit,
  SPLIT_MIN_BAND_PIXELS,
  stopImagingWorkers,
  warmImagingWorkers,
  workerFallbacks,
} from './imaging-workers';
import { resizeMask, resizeMaskAsymmetric } from './mask';
import { DEFAULT_SPLIT_COSTS, type SplitCosts } from './split-costs';
import { planarFromRgbBilinear, type ModelInputShape } from './resample';

/**
 * A textured subject with wide, uneven soft edges (a disc whose edge softness and radius vary with
 * the angle, hair-like stripes across it) on a textured background: the band crosses every row a
 * split could fall on.
 */
function scene(width: number, height: number) {
  const rgb = new Uint8Array(width * height * 3);
  const alpha = new Uint8Array(width * height);
  const cx = width / 2;
  const cy = height / 2;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const t = Math.atan2(y - cy, x - cx);
      const r = Math.hypot(x - cx, y - cy);
      const radius = Math.min(width, height) * (0.3 + 0.05 * Math.sin(5 * t));
      const soft = 20 + 30 * (0.5 + 0.5 * Math.sin(3 * t + 1));
      const stripes = 0.15 * Math.sin(x * 0.9 + y * 0.4);
      const a = Math.min(1, Math.max(0, (radius - r) / soft + 0.5 + stripes));
      alpha[i] = Math.round(a * 255);
      const f = [150 + 80 * Math.sin(x / 17), 60 + 40 * Math.cos(y / 23), 40 + (x % 30)];
      const b = [230 - ((x + y) % 50), 220 - (y % 40), 200 + 40 * Math.sin(y / 11)];
      for (let c = 0; c < 3; c++) rgb[i * 3 + c] = Math.round(a * f[c] + (1 - a) * b[c]);
    }
  return { rgb, alpha };
}

function maxDifference(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('decontaminateBoxParallel (split across worker threads)', () => {
  afterAll(() => stopImagingWorkers());
  const width = 640;
  const height = 480;
  const { rgb, alpha } = scene(width, height);
  const whole: PixelBox = { left: 0, top: 0, width, height };

  it('starts the worker thread (its module loads there: the split is not falling back to this thread)', async () => {
    await expect(warmImagingWorkers()).resolves.toBeUndefined();
  });

  it('splits this image (the test exercises the worker path)', () => {
    const plan = planSplit(rgb, alpha, width, height, width, height);
    expect(plan).toBeDefined();
    expect(plan!.starts).toHaveLength(2);
    expect(plan!.starts[1]).toBeGreaterThan(height / 4);
    expect(plan!.starts[1]).toBeLessThan((3 * height) / 4);
    // Not worth it below the minimum band, and never for a dense (small) image.
    expect(planSplit(rgb, alpha, width, height, width, height, {}, width * height)).toBeUndefined();
    expect(planSplit(rgb, alpha, width, 100, width, 100)).toBeUndefined();
  });

  it('equals the single-threaded result within 1 level', async () => {
    const single = decontaminateBox(rgb, alpha, width, height, whole);
    const split = await decontaminateBoxParallel(rgb, alpha, width, height, whole, {}, 0);
    expect(split.skippedBandPixels).toBeUndefined();
    expect(maxDifference(split.rgb, single.rgb)).toBeLessThanOrEqual(1);
    // The worker did the bottom (no fallback to this thread).
    expect(workerFallbacks()).toBe(0);
    // And it did decontaminate: the colours changed in the band.
    expect(maxDifference(split.rgb, rgb)).toBeGreaterThan(16);
  });

  it('equals it on a crop, with float alpha and without the guard', async () => {
    const box: PixelBox = { left: 37, top: 21, width: 520, height: 430 };
    const floatAlpha = Float32Array.from(alpha, (a) => a / 255);
    for (const [a, options] of [
      [alpha, {}],
      [floatAlpha, {}],
      [alpha, { guardDistance: Infinity, guardFade: Infinity }],
    ] as const) {
      const single = decontaminateBox(rgb, a, width, height, box, options);
      const split = await decontaminateBoxParallel(rgb, a, width, height, box, options, 0);
      expect(split.rgb.length).toBe(box.width * box.height * 3);
      expect(maxDifference(split.rgb, single.rgb)).toBeLessThanOrEqual(1);
    }
  });

  it("leaves the caller's image intact when it is a Node Buffer (a Buffer's slice is a view, not a copy)", async () => {
    // Regression: the bottom window's rgb was "copied" with slice(); for a Buffer that is a view, so moving
    // it to the worker detached the caller's whole image (the next read threw "detached ArrayBuffer").
    const image = Buffer.from(rgb);
    const expected = decontaminateBox(rgb, alpha, width, height, whole);
    for (let round = 0; round < 2; round++) {
      const split = await decontaminateBoxParallel(image, Buffer.from(alpha), width, height, whole, {}, 0);
      expect(image.byteLength).toBe(rgb.length);
      expect(image.equals(rgb)).toBe(true);
      expect(maxDifference(split.rgb, expected.rgb)).toBeLessThanOrEqual(1);
    }
    expect(workerFallbacks()).toBe(0);
  });

  it("reuses the window's memory from the pool across splits of one size, without carrying colours over", async () => {
    const other = scene(width, height);
    other.rgb.forEach((v, i) => (other.rgb[i] = 255 - v));
    const expected = [decontaminateBox(rgb, alpha, width, height, whole), decontaminateBox(other.rgb, other.alpha, width, height, whole)];
    const held: number[] = [];
    for (let round = 0; round < 4; round++) {
      const [image, a] = round % 2 ? [other.rgb, other.alpha] : [rgb, alpha];
      const split = await decontaminateBoxParallel(image, a, width, height, whole, {}, 0);
      expect(maxDifference(split.rgb, expected[round % 2].rgb)).toBeLessThanOrEqual(1);
      largeBuffers.release(split.rgb as Buffer);
      held.push(largeBuffers.heldBytes);
    }
    // Besides the result itself, the window's copies and the worker's rows came back to the pool, the same memory each round.
    expect(held[0]).toBeGreaterThan(width * height * 3);
    expect(new Set(held).size).toBe(1);
    expect(workerFallbacks()).toBe(0);
  });

  it('has the worker drop its window when this thread fails before sending the coarse level: its copies come back, the next split runs', async () => {
    // Regression: a throw while building the coarse levels (say, no memory for them) left the worker holding
    // its window (the rgb and alpha copied for it), never swept and never given back.
    const first = await decontaminateBoxParallel(rgb, alpha, width, height, whole, {}, 0);
    largeBuffers.release(first.rgb as Buffer);
    const held = largeBuffers.heldBytes;
    const plan = planSplit(rgb, alpha, width, height, width, height, {}, 0)!;
    const failing = {
      ...plan,
      coarse: () => {
        throw new RangeError('Array buffer allocation failed');
      },
    };
    await expect(runSplit(failing, whole)).rejects.toThrow('Array buffer allocation failed');
    expect(largeBuffers.heldBytes).toBe(held);
    const next = await decontaminateBoxParallel(rgb, alpha, width, height, whole, {}, 0);
    expect(maxDifference(next.rgb, decontaminateBox(rgb, alpha, width, height, whole).rgb)).toBeLessThanOrEqual(1);
    expect(workerFallbacks()).toBe(0);
  });

  it('plans windows for more threads: each writes its own rows, in order, with the margin around them', () => {
    const plan = planSplit(rgb, alpha, width, height, width, height, {}, 0, 4)!;
    expect(plan.windows).toHaveLength(4);
    expect(plan.starts[0]).toBe(0);
    for (let i = 0; i < 4; i++) {
      const w = plan.windows[i];
      const end = i < 3 ? plan.starts[i + 1] : height;
      expect(end).toBeGreaterThan(plan.starts[i]);
      // Its own rows, in image rows, are exactly starts[i] .. end − 1.
      expect(w.yOffset + w.from).toBe(plan.starts[i]);
      expect(w.yOffset + w.to).toBe(end);
      // The margin: 64 rows of context on each side, cut at the image's edges.
      expect(w.yOffset).toBe(Math.max(0, plan.starts[i] - 64));
      expect(w.yOffset + w.rows).toBe(Math.min(height, end + 64));
    }
    expect(() => planSplit(rgb, alpha, width, height, width, height, {}, 0, 1)).toThrow(RangeError);
  });

  it('weighs the rows by the band the guard leaves, not by every partly transparent pixel', () => {
    // Top half: a 40-pixel soft edge next to the background (all of it swept). Bottom half: a half-transparent
    // region 250+ pixels inside the subject, beyond the guard's reach (kept as it is, nothing to sweep).
    const [w, h] = [1000, 800];
    const image = new Uint8Array(w * h * 3).fill(128);
    const a = new Uint8Array(w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        a[y * w + x] =
          y < h / 2 ? (x < 500 ? 0 : x < 540 ? Math.round(((x - 500) / 40) * 200 + 25) : 255) : x < 50 ? 0 : x < 300 ? 255 : 128;
    const plan = planSplit(image, a, w, h, w, h)!;
    // The band is all in the top half: the seam falls inside it (counting every partly transparent pixel put it
    // near the bottom, where 280 k of them are).
    expect(plan.starts[1]).toBeGreaterThan(h / 8);
    expect(plan.starts[1]).toBeLessThan(h / 2);
  });

  it("lists this thread's window on the first worker or here, as the plan says, to the same result", async () => {
    const single = decontaminateBox(rgb, alpha, width, height, whole);
    // Listing free: the worker lists both while the coarse levels are built; listing dear: this thread lists its own.
    const cheap = { ...DEFAULT_SPLIT_COSTS, windowPixelNs: 2 };
    const dear = { ...DEFAULT_SPLIT_COSTS, windowPixelNs: 1000 };
    expect(planSplit(rgb, alpha, width, height, width, height, {}, 0, 2, cheap)!.listFirstOnWorker).toBe(true);
    expect(planSplit(rgb, alpha, width, height, width, height, {}, 0, 2, dear)!.listFirstOnWorker).toBe(false);
    for (const costs of [cheap, dear]) {
      const split = await decontaminateBoxParallel(rgb, alpha, width, height, whole, {}, 0, 2, costs);
      expect(maxDifference(split.rgb, single.rgb)).toBeLessThanOrEqual(1);
    }
    expect(workerFallbacks()).toBe(0);
  });

  it('splits a crop with a narrow band too, and measures every split for the next plan', async () => {
    // A nearly hard edge: a few thousand band pixels (the listing beside the coarse levels is what the split saves).
    const narrow = Uint8Array.from(alpha, (v) => (v < 100 ? 0 : v > 156 ? 255 : v));
    const plan = planSplit(rgb, narrow, width, height, width, height, {}, SPLIT_MIN_BAND_PIXELS);
    expect(plan).toBeDefined();
    const before = measuredSplitCosts();
    const split = await decontaminateBoxParallel(rgb, narrow, width, height, whole);
    expect(maxDifference(split.rgb, decontaminateBox(rgb, narrow, width, height, whole).rgb)).toBeLessThanOrEqual(1);
    const after = measuredSplitCosts();
    expect(after.coarseScale).not.toBe(before.coarseScale);
    expect(after.windowPixelNs).not.toBe(before.windowPixelNs);
    for (const key of Object.keys(after) as (keyof SplitCosts)[]) expect(after[key]).toBeGreaterThan(0);
  });

  it('gives an image with fewer rows than threads one window per row', () => {
    // A strip of 3 rows, wide enough not to be dense.
    const w = 30_000;
    const strip = scene(w, 3);
    const plan = planSplit(strip.rgb, strip.alpha, w, 3, w, 3, {}, 0, 4)!;
    expect(plan.starts).toEqual([0, 1, 2]);
    expect(plan.windows.map((win) => [win.from, win.to])).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
  });

  it('equals the single-threaded result within 1 level on 3 and 4 threads (two and three workers), whole and cropped', async () => {
    const box: PixelBox = { left: 37, top: 21, width: 520, height: 430 };
    for (const threads of [3, 4]) {
      await warmImagingWorkers(threads);
      for (const b of [whole, box]) {
        const single = decontaminateBox(rgb, alpha, width, height, b);
        const split = await decontaminateBoxParallel(rgb, alpha, width, height, b, {}, 0, threads);
        expect(maxDifference(split.rgb, single.rgb)).toBeLessThanOrEqual(1);
        // It did decontaminate: the colours changed in the band.
        if (b === whole) expect(maxDifference(split.rgb, rgb)).toBeGreaterThan(16);
      }
    }
    expect(workerFallbacks()).toBe(0);
  });

  it('runs on this thread alone, with no split, when given one thread', async () => {
    const single = decontaminateBox(rgb, alpha, width, height, whole);
    const alone = await decontaminateBoxParallel(rgb, alpha, width, height, whole, {}, 0, 1);
    expect(maxDifference(alone.rgb, single.rgb)).toBe(0);
  });

  it('keeps the photo colours over the cap, like decontaminateBox', async () => {
    const split = await decontaminateBoxParallel(rgb, alpha, width, height, whole, { maxBandPixels: 10 }, 0);
    expect(split.skippedBandPixels).toBeGreaterThan(10);
    expect(maxDifference(split.rgb, rgb)).toBe(0);
  });

  it('keeps the photo colours over the cap when the band avoids the rows the plan samples (every 8th)', async () => {
    // Partly transparent everywhere but on every 8th row (an 8× upscaled mask can look like this):
    // a sample of those rows sees one band pixel a row, the whole image holds 7/8 of its pixels.
    const w = 400;
    const h = 320;
    const striped = new Uint8Array(w * h).map((_, i) => (((i / w) | 0) % 8 === 0 ? (i % w === 0 ? 128 : 0) : 128));
    const photo = new Uint8Array(w * h * 3).map((_, i) => (i * 37) & 255);
    const box = { left: 0, top: 0, width: w, height: h };
    const cap = { maxBandPixels: 50_000 };
    const single = decontaminateBox(photo, striped, w, h, box, cap);
    expect(single.skippedBandPixels).toBe((w * h * 7) / 8 + h / 8);
    expect(planSplit(photo, striped, w, h, w, h, cap)).toBeUndefined();
    const split = await decontaminateBoxParallel(photo, striped, w, h, box, cap, 0);
    expect(split.skippedBandPixels).toBe(single.skippedBandPixels);
    expect(maxDifference(split.rgb, photo)).toBe(0);
  });
});

describe('modelInputParallel and resizeMaskParallel (bands on worker threads)', () => {
  afterAll(() => stopImagingWorkers());
  const input: ModelInputShape = { width: 1024, height: 1024, mean: [128, 120, 100], std: [256, 58.4, 57.1] };
  // A 1600 × 1200 photo-like image (gradients and a texture): every band reads different rows.
  const [w, h] = [1600, 1200];
  const data = Buffer.alloc(w * h * 3);
  for (let y = 0, i = 0; y < h; y++) for (let x = 0; x < w; x++, i += 3) data.set([(x * 7 + y) & 255, (y * 3) & 255, (x ^ y) & 255], i);
  const rgb = { data, width: w, height: h };

  it('writes the same model input as planarFromRgbBilinear on 1 to 4 threads, into the given target, memory back in the pool', async () => {
    const expected = planarFromRgbBilinear(rgb, { input });
    const before = workerFallbacks();
    const held: number[] = [];
    for (const threads of [1, 2, 3, 4, 4]) {
      const target = new Float32Array(3 * 1024 * 1024).fill(NaN);
      const got = await modelInputParallel(rgb, input, target, threads);
      expect(got).toBe(target);
      expect(Buffer.from(got.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
      held.push(largeBuffers.heldBytes);
    }
    expect(workerFallbacks()).toBe(before);
    // The bands' memory came back: the same held bytes after two runs on 4 threads.
    expect(held[4]).toBe(held[3]);
  });

  it("reuses the bands' memory for photos of about the same size (not only of exactly the same size)", async () => {
    // 1600 × 1200 and 1608 × 1196: their bands' source rows differ by a few KB.
    const other = { data: Buffer.alloc(1608 * 1196 * 3, 7), width: 1608, height: 1196 };
    const target = new Float32Array(3 * 1024 * 1024);
    const held: number[] = [];
    for (const image of [rgb, other, rgb, other]) {
      await modelInputParallel(image, input, target, 2);
      await resizeMaskParallel(new Uint8Array(1024 * 1024), 1024, 1024, image.width, image.height, 'asymmetric', 2);
      held.push(largeBuffers.heldBytes);
    }
    // The second photo's bands took the first one's memory back: the pool holds no more after it.
    expect(new Set(held).size).toBe(1);
  });

  it('upscales the mask to the same bytes as resizeMask / resizeMaskAsymmetric on 1 to 4 threads', async () => {
    const mask = new Uint8Array(1024 * 1024);
    for (let i = 0; i < mask.length; i++) mask[i] = (Math.imul(i, 2654435761) >>> 24) & 255;
    const before = workerFallbacks();
    for (const [coordinates, expected] of [
      ['asymmetric', resizeMaskAsymmetric(mask, 1024, 1024, w, h)],
      ['centred', resizeMask(mask, 1024, 1024, w, h)],
    ] as const)
      for (const threads of [1, 2, 3, 4]) {
        const got = await resizeMaskParallel(mask, 1024, 1024, w, h, coordinates, threads);
        expect(Buffer.from(got).equals(Buffer.from(expected))).toBe(true);
      }
    expect(workerFallbacks()).toBe(before);
    // The same size: the mask itself; a small output: this thread alone, the same bytes.
    expect(await resizeMaskParallel(mask, 1024, 1024, 1024, 1024, 'asymmetric', 4)).toBe(mask);
    const small = mask.subarray(0, 64 * 64);
    expect(200 * 150).toBeLessThan(PARALLEL_MIN_PIXELS);
    expect(
      Buffer.from(await resizeMaskParallel(small, 64, 64, 200, 150, 'asymmetric', 4)).equals(
        Buffer.from(resizeMaskAsymmetric(small, 64, 64, 200, 150)),
      ),
    ).toBe(true);
  });
});
