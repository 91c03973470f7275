import {
  allRecipes,
  flipPlanar,
  HIGH_QUALITY_RECIPE,
  HighQualityPasses,
  mergeCrop,
  mergeFlipped,
  parseMerge,
  parseRecipe,
  plannedRuns,
  recipeLabel,
  scaleBox,
  secondPassBox,
  skipSecondPass,
  SECOND_PASS,
  toProbabilities,
  type FlipMerge,
} from './high-quality';
import { Stage } from '@cutout/inference-contract';
import type { ModelManifest } from '../models/model-manifest';
import { ProgressReporter } from './progress-reporter';
import { StageTimeEstimator } from './stage-time-estimator';

const plane = (w: number, h: number, on: (x: number, y: number) => boolean) => {
  const a = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) a[y * w + x] = on(x, y) ? 255 : 0;
  return a;
};

describe('flip (candidate a)', () => {
  it('mirrors every row of every channel, and twice is the identity', () => {
    const data = Float32Array.from({ length: 2 * 2 * 3 }, (_, i) => i); // 2 channels, 2 rows, 3 columns
    expect([...flipPlanar(data, 3, 2, 2)]).toEqual([2, 1, 0, 5, 4, 3, 8, 7, 6, 11, 10, 9]);
    expect([...flipPlanar(flipPlanar(data, 3, 2, 2), 3, 2, 2)]).toEqual([...data]);
    expect(() => flipPlanar(data, 3, 2, 3)).toThrow(/12 values for 3x2x3/);
  });

  it('averages the plain prediction with the flipped one flipped back (the mean rule)', () => {
    const plain = Float32Array.from([0, 1, 2, 3]); // 1 row of 4
    const flippedPrediction = Float32Array.from([8, 6, 4, 2]); // of the mirrored input: back = [2, 4, 6, 8]
    expect([...mergeFlipped(plain, flippedPrediction, 4, 1, { rule: 'mean' }, 'none')]).toEqual([1, 2.5, 4, 5.5]);
  });
});

describe('the flip merge rules', () => {
  // One row of 6 pixels. The flipped run's prediction is given mirrored, so `back` below is what the rules see.
  const plain = Float32Array.from([0, 0.9, 0.02, 0.6, 1, 0.3]);
  const back = [0.4, 0.7, 0.3, 0.01, 0.2, 0.3];
  const flipped = Float32Array.from([...back].reverse());
  const merged = (merge: FlipMerge, activation: ModelManifest['output']['activation'] = 'none') => [
    ...mergeFlipped(plain, flipped, 6, 1, merge, activation),
  ];
  const close = (actual: number[], expected: number[]) => expected.forEach((v, i) => expect(actual[i]).toBeCloseTo(v, 5));
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  const logit = (p: number) => Math.log(p / (1 - p));

  it('mean: the raw mean (the original rule)', () => {
    close(merged({ rule: 'mean' }), [0.2, 0.8, 0.16, 0.305, 0.6, 0.3]);
  });

  it('logitMean: sigmoid of the mean logit, crisper than the mean where both lean the same way', () => {
    const out = merged({ rule: 'logitMean' });
    expect(out[1]).toBeCloseTo(sigmoid((logit(0.9) + logit(0.7)) / 2), 5);
    expect(out[1]).toBeGreaterThan(0.8); // the mean would say 0.8
    expect(out[5]).toBeCloseTo(0.3, 5); // agreement is kept
    expect(out[0]).toBeLessThan(0.01); // a 0 (logit clamped) outweighs an unsure 0.4
  });

  it('confidence: the mean weighted by |p - 0.5|', () => {
    const out = merged({ rule: 'confidence' });
    expect(out[0]).toBeCloseTo((0.5 * 0 + 0.1 * 0.4) / 0.6, 5);
    expect(out[4]).toBeCloseTo((0.5 * 1 + 0.3 * 0.2) / 0.8, 5);
    // Both at 0.5: no weight anywhere, the plain mean.
    expect([...mergeFlipped(Float32Array.of(0.5), Float32Array.of(0.5), 1, 1, { rule: 'confidence' }, 'none')]).toEqual([0.5]);
  });

  it('confident: per pixel the prediction further from 0.5 (a missed limb or a faint haze loses)', () => {
    close(merged({ rule: 'confident' }), [0, 0.9, 0.02, 0.01, 1, 0.3]);
  });

  it('max: per pixel the larger (the union of what either run found)', () => {
    close(merged({ rule: 'max' }), [0.4, 0.9, 0.3, 0.6, 1, 0.3]);
  });

  it('gate: the plain prediction where the two disagree by more than the threshold, the mean elsewhere', () => {
    // Disagreements: 0.4, 0.2, 0.28, 0.59, 0.8, 0.
    close(merged({ rule: 'gate' }), [0.2, 0.8, 0.16, 0.6, 1, 0.3]); // default 0.5: pixels 3 and 4 keep the plain value
    close(merged({ rule: 'gate', threshold: 0.3 }), [0, 0.8, 0.16, 0.6, 1, 0.3]); // and pixel 0 too
  });

  it('haze: the smaller one where either is below the threshold, the mean elsewhere', () => {
    close(merged({ rule: 'haze' }), [0, 0.8, 0.02, 0.01, 0.6, 0.3]);
    close(merged({ rule: 'haze', threshold: 0.25 }), [0, 0.8, 0.02, 0.01, 0.2, 0.3]);
  });

  it('works on logits for a sigmoid model and hands logits back; the mean stays the raw mean', () => {
    const logits = Float32Array.from([-4, 3]);
    const mirrored = Float32Array.from([1, -2]); // back = [-2, 1]
    const out = [...mergeFlipped(logits, mirrored, 2, 1, { rule: 'confident' }, 'sigmoid')];
    close(out, [-4, 3]);
    close([...mergeFlipped(logits, mirrored, 2, 1, { rule: 'logitMean' }, 'sigmoid')], [-3, 2]);
    close([...mergeFlipped(logits, mirrored, 2, 1, { rule: 'mean' }, 'sigmoid')], [-3, 2]);
    close([...toProbabilities(logits, 'sigmoid')], [sigmoid(-4), sigmoid(3)]);
  });

  it('normalises each plane on its own for a minmax model', () => {
    // plain 10..20 (0..1 after), flipped back 0..100: each spans 0..1 before the rule.
    const a = Float32Array.from([10, 15, 20]);
    const b = Float32Array.from([100, 50, 0]); // back = [0, 50, 100]
    close([...toProbabilities(a, 'minmax')], [0, 0.5, 1]);
    close([...mergeFlipped(a, b, 3, 1, { rule: 'haze' }, 'minmax')], [0, 0.5, 1]);
    close([...toProbabilities(Float32Array.of(3, 3), 'minmax')], [0, 0]); // flat: nothing to stretch
    close([...toProbabilities(Float32Array.of(-0.1, 1.2), 'none')], [0, 1]);
  });

  it('refuses planes of the wrong size and rules it does not know', () => {
    expect(() => mergeFlipped(plain, flipped.subarray(1), 6, 1, { rule: 'confident' }, 'none')).toThrow(/planes of 6 and 5 values for 6x1/);
    expect(() => mergeFlipped(plain, flipped, 3, 3, { rule: 'mean' }, 'none')).toThrow(/for 3x3/);
    expect(() => mergeFlipped(plain, flipped, 6, 1, { rule: 'median' } as unknown as FlipMerge, 'none')).toThrow(
      /unknown flip merge rule median/,
    );
  });

  it('parses rules with an optional threshold and refuses bad ones with a clear error', () => {
    expect(parseMerge('confident')).toEqual({ rule: 'confident' });
    expect(parseMerge('gate:0.3')).toEqual({ rule: 'gate', threshold: 0.3 });
    expect(() => parseMerge('median')).toThrow(
      /unknown flip merge rule median; expected mean, logitMean, confidence, confident, max, gate, haze/,
    );
    expect(() => parseMerge('confident:0.2')).toThrow(/takes no threshold/);
    expect(() => parseMerge('gate:1:2')).toThrow(/takes no threshold/);
    expect(() => parseMerge('haze:2')).toThrow(/threshold must be in 0..1; got 2/);
    expect(() => parseMerge('haze:')).toThrow(/threshold must be in 0..1/);
    expect(() => parseMerge('haze:x')).toThrow(/threshold must be in 0..1; got x/);
  });
});

describe('the second pass box (candidate b)', () => {
  it('is the foreground box grown by the margin', () => {
    const alpha = plane(200, 100, (x, y) => x >= 80 && x < 120 && y >= 40 && y < 60);
    const settings = { ...SECOND_PASS, margin: 0.25, minMarginPx: 1 };
    // 40 x 20 box, margin 25 % of the longer side = 10 px each side.
    expect(secondPassBox(alpha, 200, 100, settings)).toEqual({ left: 70, top: 30, width: 60, height: 40 });
  });

  it('is clamped to the image and undefined without foreground', () => {
    const alpha = plane(50, 40, (x, y) => x < 10 && y >= 30);
    expect(secondPassBox(alpha, 50, 40, { ...SECOND_PASS, minMarginPx: 8 })).toEqual({ left: 0, top: 22, width: 18, height: 18 });
    expect(secondPassBox(new Uint8Array(50 * 40).fill(127), 50, 40)).toBeUndefined();
  });

  it('ignores a speck far from the subject', () => {
    const alpha = plane(400, 400, (x, y) => (x >= 100 && x < 200 && y >= 100 && y < 200) || (x === 390 && y === 5));
    const box = secondPassBox(alpha, 400, 400, { ...SECOND_PASS, margin: 0, minMarginPx: 0 });
    expect(box).toEqual({ left: 100, top: 100, width: 100, height: 100 });
  });

  it('is mapped from the model grid to the photo, covering the same region', () => {
    expect(scaleBox({ left: 256, top: 512, width: 512, height: 256 }, 1024, 1024, 2000, 1000)).toEqual({
      left: 500,
      top: 500,
      width: 1000,
      height: 250,
    });
    expect(scaleBox({ left: 1000, top: 0, width: 24, height: 1024 }, 1024, 1024, 333, 100)).toEqual({
      left: 325,
      top: 0,
      width: 8,
      height: 100,
    });
  });

  it('is skipped when missing, most of the image, or tiny', () => {
    expect(skipSecondPass(undefined, 100, 100)).toBe(true);
    expect(skipSecondPass({ left: 0, top: 0, width: 80, height: 80 }, 100, 100)).toBe(true); // 64 % of the image
    expect(skipSecondPass({ left: 10, top: 10, width: 60, height: 60 }, 100, 100)).toBe(false); // 36 %
    expect(skipSecondPass({ left: 10, top: 10, width: 10, height: 60 }, 100, 100)).toBe(true); // narrower than 16 px
  });
});

describe('mergeCrop', () => {
  it('keeps the first pass outside the box and the crop inside, past the blend band', () => {
    const alpha = new Uint8Array(20 * 10).fill(100);
    const crop = new Uint8Array(10 * 6).fill(200);
    const out = mergeCrop(alpha, 20, 10, crop, { left: 5, top: 2, width: 10, height: 6 }, 2);
    expect(out[0]).toBe(100);
    expect(out[19 * 1 + 9 * 20]).toBe(100);
    expect(out[5 * 20 + 10]).toBe(200); // 3 px from every side, past the 2 px band
    // The band rises linearly from the box's side: (d + 0.5) / 2 of the crop.
    expect(out[5 * 20 + 5]).toBe(125); // d = 0: weight 0.25
    expect(out[5 * 20 + 6]).toBe(175); // d = 1: weight 0.75
    expect(alpha[5 * 20 + 10]).toBe(100); // the input is not changed
  });

  it('does not blend along a side that is the image border', () => {
    const alpha = new Uint8Array(10 * 10).fill(0);
    const crop = new Uint8Array(4 * 10).fill(255);
    const out = mergeCrop(alpha, 10, 10, crop, { left: 0, top: 0, width: 4, height: 10 }, 3);
    expect(out[5 * 10 + 0]).toBe(255); // left, top and bottom are the image's border
    expect(out[0]).toBe(255);
    expect(out[5 * 10 + 3]).toBe(Math.floor(255 * (0.5 / 3) + 0.5)); // the right side lies inside the image
    expect(() => mergeCrop(alpha, 10, 10, crop, { left: 0, top: 0, width: 5, height: 10 }, 3)).toThrow(/40 values/);
  });
});

describe('recipes', () => {
  it('parses candidate lists and plans its runs', () => {
    expect(parseRecipe('flip+secondPass')).toEqual({ flip: true, secondPass: true, fullResRefine: false, merge: { rule: 'mean' } });
    expect(parseRecipe('standard')).toEqual({ flip: false, secondPass: false, fullResRefine: false, merge: { rule: 'mean' } });
    expect(() => parseRecipe('flip,zoom')).toThrow(/unknown HIGH candidate zoom/);
    expect(parseRecipe('flip@gate:0.3+secondPass')).toEqual({
      flip: true,
      secondPass: true,
      fullResRefine: false,
      merge: { rule: 'gate', threshold: 0.3 },
    });
    for (const label of ['flip@confident', 'flip@gate:0.3+secondPass', 'flip+fullResRefine', 'secondPass'])
      expect(recipeLabel(parseRecipe(label))).toBe(label);
    expect(recipeLabel(parseRecipe('flip@mean'))).toBe('flip');
    expect(recipeLabel(HIGH_QUALITY_RECIPE)).toBe('flip@confident');
    expect(() => parseRecipe('flip@median')).toThrow(/unknown flip merge rule median/);
    expect(() => parseRecipe('secondPass@confident')).toThrow(/only flip takes a merge rule/);
    expect(allRecipes().map(recipeLabel)).toEqual([
      'standard',
      'flip',
      'secondPass',
      'flip+secondPass',
      'fullResRefine',
      'flip+fullResRefine',
      'secondPass+fullResRefine',
      'flip+secondPass+fullResRefine',
    ]);
    expect(plannedRuns(parseRecipe('flip+secondPass'))).toBe(4);
    expect(plannedRuns(parseRecipe('fullResRefine'))).toBe(1);
  });
});

describe('HighQualityPasses', () => {
  const S = 8;
  const manifest = {
    input: { width: S, height: S, mean: [0, 0, 0], std: [1, 1, 1] },
    output: { activation: 'none' },
  } as unknown as ModelManifest;
  // A "model" whose alpha is the input's red channel (0..1), so flips and crops are visible.
  const redModel = (input: Float32Array) => Promise.resolve(input.slice(0, S * S).map((v) => v / 255));

  it('runs the flipped input beside the plain one and averages them; the runs are numbered', async () => {
    const parts: number[] = [];
    const passes = new HighQualityPasses(
      { flip: true, secondPass: false, fullResRefine: false, merge: { rule: 'mean' } },
      manifest,
      async (input, part) => {
        parts.push(part);
        // Not symmetric: the first column of the plain input's prediction is 1, the rest 0.
        const out = new Float32Array(S * S);
        for (let y = 0; y < S; y++) out[y * S] = input[0] === 7 ? 1 : 0;
        return { output: out, queueMs: 0, inferenceMs: 0, batchSize: 1 };
      },
    );
    const input = new Float32Array(3 * S * S);
    input[0] = 7;
    const outcome = await passes.infer(input, undefined);
    expect(parts).toEqual([0, 1]);
    expect(passes.runs).toBe(2);
    expect(outcome.output[0]).toBe(0.5); // the plain run's 1 averaged with the flipped run's 0
    expect(outcome.output[S - 1]).toBe(0);
  });

  it("merges the two runs with the recipe's rule", async () => {
    // The plain run says 0.9 everywhere, the flipped run 0.2: `confident` keeps the 0.9, `mean` gives 0.55.
    const model = async (input: Float32Array) => ({
      output: new Float32Array(S * S).fill(input[0] === 7 ? 0.9 : 0.2),
      queueMs: 0,
      inferenceMs: 0,
      batchSize: 1,
    });
    const input = () => {
      const data = new Float32Array(3 * S * S);
      data[0] = 7;
      return data;
    };
    const confident = await new HighQualityPasses(parseRecipe('flip@confident'), manifest, model).infer(input(), undefined);
    expect(confident.output[0]).toBeCloseTo(0.9, 6);
    const mean = await new HighQualityPasses(parseRecipe('flip'), manifest, model).infer(input(), undefined);
    expect(mean.output[0]).toBeCloseTo(0.55, 6);
  });

  it('reruns the model on the subject box of the photo and merges it into the full-size alpha', async () => {
    // The model's grid is 8 px: use a 64 px one here so the margin leaves room to zoom in.
    const G = 64;
    const big = { ...manifest, input: { ...manifest.input, width: G, height: G } } as ModelManifest;
    // A 128 x 128 photo whose red square (subject) sits at 48..79.
    const W = 128;
    const rgb = { data: Buffer.alloc(W * W * 3), width: W, height: W };
    for (let y = 48; y < 80; y++) for (let x = 48; x < 80; x++) rgb.data[(y * W + x) * 3] = 255;
    const inputs: number[] = [];
    const passes = new HighQualityPasses(
      { flip: false, secondPass: true, fullResRefine: false, merge: { rule: 'mean' } },
      big,
      async (input, part) => {
        inputs.push(part);
        return { output: input.slice(0, G * G).map((v) => v / 255), queueMs: 3, inferenceMs: 0, batchSize: 1 };
      },
    );
    const first = new Float32Array(3 * G * G);
    for (let y = 24; y < 40; y++) for (let x = 24; x < 40; x++) first[y * G + x] = 255;
    const outcome = await passes.infer(first, Promise.resolve(rgb));
    expect(inputs).toEqual([0, 1]);
    expect(outcome.queueMs).toBe(3);
    // The 16 px square on the 64 px grid, 8 px of margin: 16..47, i.e. 32..95 of the photo.
    expect(passes.box).toEqual({ left: 32, top: 32, width: 64, height: 64 });
    const merged = passes.merge(new Uint8Array(W * W).fill(7), W, W);
    expect(merged[64 * W + 64]).toBe(255); // inside the subject: the second pass's alpha
    expect(merged[40 * W + 40]).toBe(0); // inside the box, off the subject: the second pass's 0
    expect(merged[2 * W + 2]).toBe(7); // outside the box: the first pass
  });

  it('leaves the alpha alone when the box covers most of the photo', async () => {
    const W = 16;
    const rgb = { data: Buffer.alloc(W * W * 3, 255), width: W, height: W };
    const passes = new HighQualityPasses(
      { flip: false, secondPass: true, fullResRefine: false, merge: { rule: 'mean' } },
      manifest,
      async (input) => ({
        output: await redModel(input),
        queueMs: 0,
        inferenceMs: 0,
        batchSize: 1,
      }),
    );
    await passes.infer(new Float32Array(3 * S * S).fill(255), rgb);
    expect(passes.runs).toBe(1);
    expect(passes.box).toBeUndefined();
    const alpha = new Uint8Array(W * W).fill(9);
    expect(passes.merge(alpha, W, W)).toBe(alpha);
  });
});

describe('progress of a HIGH request', () => {
  it('plans every model run and gives each run its own slice of the INFERENCE span', () => {
    const estimator = new StageTimeEstimator();
    estimator.seedInference('medium', 1000);
    const shape = { modelId: 'medium', pixels: 1_000_000, refine: false };
    expect(estimator.expected({ ...shape, runs: plannedRuns(parseRecipe('flip+secondPass')) }).inferenceMs).toBe(4000);
    const plan = { [Stage.DECODED]: 0.1, [Stage.INFERENCE]: 0.9, [Stage.REFINE]: 0.95, [Stage.ENCODED]: 1 };
    const ticks: (() => void)[] = [];
    let now = 0;
    const clock = {
      now: () => now,
      every: (_ms: number, tick: () => void) => (ticks.push(tick), () => ticks.splice(ticks.indexOf(tick), 1)),
    };
    const events: number[] = [];
    const progress = new ProgressReporter(plan, (_stage, fraction) => events.push(fraction), clock, 10);
    progress.runStarted(1000, 1, 2); // the second of two runs: 0.5 .. 0.9
    now = 500;
    ticks.forEach((tick) => tick());
    expect(events.at(-1)).toBeCloseTo(0.5 + 0.4 * 0.5);
    progress.runEnded();
    expect(ticks).toHaveLength(0);
  });
});
