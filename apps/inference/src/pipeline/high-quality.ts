import type { InferenceOutcome } from '../engine/inference-scheduler';
import { defaultGuidedFilterOptions, type GuidedFilterOptions } from '../imaging/guided-filter';
import { outputToAlpha, resizeMaskAsymmetric, type Box } from '../imaging/mask';
import type { RgbImage } from '../imaging/preprocess';
import { planarFromRgbBilinear } from '../imaging/resample';
import type { ModelManifest } from '../models/model-manifest';

/**
 * The HIGH mode (`mode: 'high'`): what it adds to the standard pass. Each candidate was kept
 * only if it improved the dev set's `tune` half (`npm run eval -- --candidates --split tune`;
 * figures in the README's "Measurements").
 */
export interface HighQualityRecipe {
  /** (a) Test-time augmentation: the horizontally flipped input too, its prediction flipped back and averaged. */
  flip: boolean;
  /** (b) A second model pass on the subject's box (full-resolution crop at the model's input size), merged in. */
  secondPass: boolean;
  /** (c) The guided-filter refine, always on, at full resolution (no working-size cap). */
  fullResRefine: boolean;
  /**
   * How (a) merges the two predictions (see `mergeFlipped`); only read when `flip` is on.
   * `confident` was chosen on the tune half by MAE among mean, logitMean, confidence, confident,
   * max, gate (0.5, 0.3) and haze (0.05, 0.02, 0.1): one of the two runs sometimes misses a whole
   * part (a limb, a leg) or leaves a faint haze, and the mean keeps half of it. Note that mean,
   * confidence and confident binarise alike (each is >= 0.5 exactly where the more confident run
   * is, up to 8-bit rounding), so they differ in MAE and soft edges, not in IoU at 128.
   */
  merge: FlipMerge;
}

/**
 * The merge rules of the flip TTA, over the two model-resolution planes (the plain prediction
 * p1 and the flipped input's prediction flipped back p2, as probabilities in 0..1):
 * - `mean`: (raw1 + raw2) / 2 on the raw outputs (the original rule);
 * - `logitMean`: sigmoid of the mean logit (crisper where both agree);
 * - `confidence`: weighted mean, weights |p - 0.5|;
 * - `confident`: per pixel the prediction further from 0.5;
 * - `max`: per pixel the larger (the union: a part either run found is kept);
 * - `gate`: where |p1 - p2| > threshold (default 0.5) the plain prediction, the mean elsewhere;
 * - `haze`: where either is below threshold (default 0.05) the smaller one, the mean elsewhere.
 */
export const MERGE_RULES = ['mean', 'logitMean', 'confidence', 'confident', 'max', 'gate', 'haze'] as const;
export type MergeRuleName = (typeof MERGE_RULES)[number];

export interface FlipMerge {
  rule: MergeRuleName;
  /** The rule's threshold (`gate`, `haze` only); its default when absent. */
  threshold?: number;
}

export const MERGE_DEFAULT_THRESHOLD: Readonly<Partial<Record<MergeRuleName, number>>> = { gate: 0.5, haze: 0.05 };

export const HIGH_QUALITY_RECIPE: HighQualityRecipe = { flip: true, secondPass: false, fullResRefine: false, merge: { rule: 'confident' } };

export const CANDIDATE_NAMES = ['flip', 'secondPass', 'fullResRefine'] as const satisfies readonly (keyof HighQualityRecipe)[];

/** Parses a merge rule: "logitMean", "gate:0.3" (rule, then an optional threshold). */
export function parseMerge(text: string): FlipMerge {
  const [name, value, ...rest] = text.split(':').map((s) => s.trim());
  if (!(MERGE_RULES as readonly string[]).includes(name))
    throw new Error(`unknown flip merge rule ${name}; expected ${MERGE_RULES.join(', ')}`);
  const rule = name as MergeRuleName;
  if (value === undefined) return { rule };
  if (rest.length || !(rule in MERGE_DEFAULT_THRESHOLD)) throw new Error(`flip merge rule ${rule} takes no threshold ${text}`);
  const threshold = Number(value);
  if (value === '' || !(threshold >= 0 && threshold <= 1)) throw new Error(`flip merge threshold must be in 0..1; got ${value}`);
  return { rule, threshold };
}

/**
 * Parses "flip+secondPass" (or "flip,secondPass"; "standard" or "none" for none) into a recipe;
 * "flip@logitMean" or "flip@gate:0.3" picks the flip's merge rule (`mean` when absent).
 */
export function parseRecipe(text: string): HighQualityRecipe {
  let merge: FlipMerge = { rule: 'mean' };
  const names = text
    .split(/[+,]/)
    .map((s) => s.trim())
    .filter((s) => s && s !== 'none' && s !== 'standard')
    .map((s) => {
      const at = s.indexOf('@');
      if (at < 0) return s;
      const name = s.slice(0, at).trim();
      if (name !== 'flip') throw new Error(`only flip takes a merge rule (flip@rule); got ${s}`);
      merge = parseMerge(s.slice(at + 1));
      return name;
    });
  for (const name of names)
    if (!(CANDIDATE_NAMES as readonly string[]).includes(name))
      throw new Error(`unknown HIGH candidate ${name}; expected ${CANDIDATE_NAMES.join(', ')}`);
  return {
    flip: names.includes('flip'),
    secondPass: names.includes('secondPass'),
    fullResRefine: names.includes('fullResRefine'),
    merge,
  };
}

/** Every combination of the candidates, `standard` first (the flip merged by `mean`). */
export function allRecipes(): HighQualityRecipe[] {
  return Array.from({ length: 2 ** CANDIDATE_NAMES.length }, (_, bits) => ({
    flip: (bits & 1) !== 0,
    secondPass: (bits & 2) !== 0,
    fullResRefine: (bits & 4) !== 0,
    merge: { rule: 'mean' },
  }));
}

export function mergeLabel(merge: FlipMerge): string {
  return merge.threshold === undefined ? merge.rule : `${merge.rule}:${merge.threshold}`;
}

/** The recipe as `parseRecipe` reads it: "flip+secondPass", "flip@logitMean", "standard". */
export function recipeLabel(recipe: HighQualityRecipe): string {
  const on = CANDIDATE_NAMES.filter((name) => recipe[name]).map((name) =>
    name === 'flip' && recipe.merge.rule !== 'mean' ? `flip@${mergeLabel(recipe.merge)}` : name,
  );
  return on.length ? on.join('+') : 'standard';
}

/** Model runs a request plans for (the second pass may be skipped, never added). */
export function plannedRuns(recipe: HighQualityRecipe): number {
  return (recipe.flip ? 2 : 1) * (recipe.secondPass ? 2 : 1);
}

/** Second-pass settings: box threshold, speck trimming, margin, skip rule, blend band. */
export interface SecondPassSettings {
  threshold: number;
  trim: number;
  margin: number;
  minMarginPx: number;
  maxAreaFraction: number;
  minSidePx: number;
  feather: number;
}

export const SECOND_PASS: Readonly<SecondPassSettings> = {
  /** Foreground for the box: alpha >= this. */
  threshold: 128,
  /** Share of the foreground pixels ignored at each side of the box (specks far from the subject). */
  trim: 0.005,
  /** Margin on each side, as a share of the box's longer side, at least `minMarginPx`. */
  margin: 0.1,
  minMarginPx: 8,
  /** Skip when the box covers more than this share of the image (little to zoom in on). */
  maxAreaFraction: 0.5,
  /** Skip boxes smaller than this on a side. */
  minSidePx: 16,
  /** Width of the blend band inside the crop's border, as a share of the box's shorter side. */
  feather: 0.05,
};

/** Mirrors each row of a planar (C x H x W) tensor, channel by channel, into a new array. */
export function flipPlanar(data: Float32Array, width: number, height: number, channels = 1): Float32Array {
  if (data.length !== width * height * channels) throw new Error(`flipPlanar: ${data.length} values for ${channels}x${height}x${width}`);
  const out = new Float32Array(data.length);
  for (let row = 0; row < channels * height; row++) {
    const start = row * width;
    const last = start + width - 1;
    for (let x = 0; x < width; x++) out[start + x] = data[last - x];
  }
  return out;
}

type Activation = ModelManifest['output']['activation'];

/** Probabilities (0..1) of a raw output plane, as `outputToAlpha` reads it (before its 8-bit rounding). */
export function toProbabilities(raw: Float32Array, activation: Activation): Float32Array {
  const out = new Float32Array(raw.length);
  if (activation === 'sigmoid') {
    for (let i = 0; i < raw.length; i++) out[i] = 1 / (1 + Math.exp(-raw[i]));
    return out;
  }
  let lo = 0;
  let scale = 1;
  if (activation === 'minmax') {
    let min = Infinity;
    let max = -Infinity;
    for (const v of raw) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    lo = min;
    scale = max > min ? 1 / (max - min) : 0;
  }
  for (let i = 0; i < raw.length; i++) out[i] = Math.min(1, Math.max(0, (raw[i] - lo) * scale));
  return out;
}

const EDGE = 1e-6;
const logit = (p: number) => {
  const q = Math.min(1 - EDGE, Math.max(EDGE, p));
  return Math.log(q / (1 - q));
};

/**
 * One pixel's merge of p1 (plain) and p2 (flipped back), both probabilities; `t` the rule's
 * threshold. Symmetric in p1 and p2 except `gate`, which trusts the plain prediction.
 */
function mergePixel(rule: MergeRuleName, p1: number, p2: number, t: number): number {
  switch (rule) {
    case 'mean':
      return (p1 + p2) / 2;
    case 'logitMean':
      return 1 / (1 + Math.exp(-(logit(p1) + logit(p2)) / 2));
    case 'confidence': {
      const w1 = Math.abs(p1 - 0.5);
      const w2 = Math.abs(p2 - 0.5);
      return w1 + w2 > 0 ? (w1 * p1 + w2 * p2) / (w1 + w2) : (p1 + p2) / 2;
    }
    case 'confident':
      return Math.abs(p1 - 0.5) >= Math.abs(p2 - 0.5) ? p1 : p2;
    case 'max':
      return Math.max(p1, p2);
    case 'gate':
      return Math.abs(p1 - p2) > t ? p1 : (p1 + p2) / 2;
    case 'haze':
      return p1 < t || p2 < t ? Math.min(p1, p2) : (p1 + p2) / 2;
  }
}

/**
 * Merges the plain prediction with the flipped input's prediction (flipped back here), one
 * H x W plane of raw model output each, into one raw plane for `outputToAlpha`. `mean` averages
 * the raw values (the original rule, for any activation); the other rules work on probabilities
 * (`toProbabilities`) and hand back probabilities as raw output: logits again for `sigmoid`;
 * for `minmax` each plane is normalised on its own, and the merged 0..1 plane comes back.
 */
export function mergeFlipped(
  plain: Float32Array,
  flipped: Float32Array,
  width: number,
  height: number,
  merge: FlipMerge,
  activation: Activation,
): Float32Array {
  const n = width * height;
  if (plain.length !== n || flipped.length !== n)
    throw new Error(`mergeFlipped: planes of ${plain.length} and ${flipped.length} values for ${width}x${height}`);
  if (!(MERGE_RULES as readonly string[]).includes(merge.rule))
    throw new Error(`unknown flip merge rule ${String(merge.rule)}; expected ${MERGE_RULES.join(', ')}`);
  const back = flipPlanar(flipped, width, height, 1);
  const out = new Float32Array(n);
  if (merge.rule === 'mean') {
    for (let i = 0; i < n; i++) out[i] = (plain[i] + back[i]) / 2;
    return out;
  }
  const t = merge.threshold ?? MERGE_DEFAULT_THRESHOLD[merge.rule] ?? 0;
  const p1 = toProbabilities(plain, activation);
  const p2 = toProbabilities(back, activation);
  for (let i = 0; i < n; i++) {
    const p = mergePixel(merge.rule, p1[i], p2[i], t);
    out[i] = activation === 'sigmoid' ? logit(p) : p;
  }
  return out;
}

/**
 * The subject's box for the second pass: pixels with alpha >= threshold, ignoring the outermost
 * `trim` share of them on each side (so a speck far away does not stretch the box), grown by a
 * margin and clamped to the image. Undefined when no pixel reaches the threshold.
 */
export function secondPassBox(
  alpha: Uint8Array,
  width: number,
  height: number,
  settings: Readonly<SecondPassSettings> = SECOND_PASS,
): Box | undefined {
  const cols = new Uint32Array(width);
  const rows = new Uint32Array(height);
  let total = 0;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++)
      if (alpha[row + x] >= settings.threshold) {
        cols[x]++;
        rows[y]++;
        total++;
      }
  }
  if (total === 0) return undefined;
  const cut = Math.floor(total * settings.trim);
  const span = (counts: Uint32Array): [number, number] => {
    let lo = 0;
    for (let sum = counts[0]; sum <= cut && lo < counts.length - 1;) sum += counts[++lo];
    let hi = counts.length - 1;
    for (let sum = counts[hi]; sum <= cut && hi > 0;) sum += counts[--hi];
    return hi >= lo ? [lo, hi] : [hi, lo];
  };
  const [x0, x1] = span(cols);
  const [y0, y1] = span(rows);
  const pad = Math.max(settings.minMarginPx, Math.round(Math.max(x1 - x0 + 1, y1 - y0 + 1) * settings.margin));
  const left = Math.max(0, x0 - pad);
  const top = Math.max(0, y0 - pad);
  const right = Math.min(width - 1, x1 + pad);
  const bottom = Math.min(height - 1, y1 + pad);
  return { left, top, width: right - left + 1, height: bottom - top + 1 };
}

/** The skip rule: no box, a box covering most of the image, or one too small to be a subject. */
export function skipSecondPass(
  box: Box | undefined,
  width: number,
  height: number,
  settings: Readonly<SecondPassSettings> = SECOND_PASS,
): boolean {
  if (!box) return true;
  if (box.width < settings.minSidePx || box.height < settings.minSidePx) return true;
  return box.width * box.height > settings.maxAreaFraction * width * height;
}

/** Copies a box of an HWC RGB image. */
export function cropRgb(rgb: RgbImage, box: Box): RgbImage {
  const data = Buffer.allocUnsafe(box.width * box.height * 3);
  for (let y = 0; y < box.height; y++) {
    const from = ((box.top + y) * rgb.width + box.left) * 3;
    rgb.data.copy(data, y * box.width * 3, from, from + box.width * 3);
  }
  return { data, width: box.width, height: box.height };
}

/**
 * Puts `crop` (the box's own alpha, box-sized) into a copy of `alpha`. Inside the box the crop
 * wins, except within `feather` pixels of a box side that lies inside the image, where the weight
 * of the crop rises linearly from the side inwards (no seam); outside the box `alpha` is kept.
 */
export function mergeCrop(alpha: Uint8Array, width: number, height: number, crop: Uint8Array, box: Box, feather: number): Uint8Array {
  if (crop.length !== box.width * box.height) throw new Error(`mergeCrop: ${crop.length} values for a ${box.width}x${box.height} box`);
  const out = new Uint8Array(alpha);
  const f = Math.max(0, feather);
  const inside = {
    left: box.left > 0,
    top: box.top > 0,
    right: box.left + box.width < width,
    bottom: box.top + box.height < height,
  };
  // Distance from a box side that needs blending (Infinity where the side is the image's border).
  const ramp = (d: number, blended: boolean) => (blended && f > 0 ? Math.min(1, (d + 0.5) / f) : 1);
  for (let y = 0; y < box.height; y++) {
    const wy = Math.min(ramp(y, inside.top), ramp(box.height - 1 - y, inside.bottom));
    const row = (box.top + y) * width + box.left;
    for (let x = 0; x < box.width; x++) {
      const w = Math.min(wy, ramp(x, inside.left), ramp(box.width - 1 - x, inside.right));
      const c = crop[y * box.width + x];
      out[row + x] = w >= 1 ? c : alpha[row + x] + (c - alpha[row + x]) * w + 0.5;
    }
  }
  return out;
}

/** The guided filter's options at full resolution (candidate c): the tuned parameters, no working-size cap. */
export function fullResRefineOptions(width: number, height: number): GuidedFilterOptions {
  return { ...defaultGuidedFilterOptions(width, height), workPixels: width * height };
}

/** Maps a box on a grid of `fromW` x `fromH` to the same region of a `toW` x `toH` image (covering it, clamped). */
export function scaleBox(box: Box, fromW: number, fromH: number, toW: number, toH: number): Box {
  const left = Math.max(0, Math.floor((box.left * toW) / fromW));
  const top = Math.max(0, Math.floor((box.top * toH) / fromH));
  const right = Math.min(toW, Math.ceil(((box.left + box.width) * toW) / fromW));
  const bottom = Math.min(toH, Math.ceil(((box.top + box.height) * toH) / fromH));
  return { left, top, width: Math.max(1, right - left), height: Math.max(1, bottom - top) };
}

/**
 * One model run of a planar input at the model's size; `part` counts the request's runs from 0.
 * The input is the run's to keep (it may be transferred): HighQualityPasses reads it no more.
 */
export type RunModel = (input: Float32Array, part: number) => Promise<InferenceOutcome>;

/**
 * The model passes of one HIGH request. `infer` replaces the standard single run: the flipped
 * run beside it (candidate a), then the second pass on the subject's box (candidate b: the box
 * is found on the first pass's model-size alpha, the full-size photo is cropped to it and run at
 * the model's input size). `merge` puts the second pass into the full-size alpha once the caller
 * has upscaled the first pass. Refinement (candidate c) stays with the caller.
 */
export class HighQualityPasses {
  private part = 0;
  private crop?: { box: Box; alpha: Uint8Array };

  constructor(
    readonly recipe: HighQualityRecipe,
    private readonly manifest: ModelManifest,
    private readonly run: RunModel,
  ) {}

  /** Model runs made so far. */
  get runs(): number {
    return this.part;
  }

  /** The full-size box the second pass ran on, if it ran. */
  get box(): Box | undefined {
    return this.crop?.box;
  }

  /**
   * Every model run of the request. The outcome is the first pass's (flip-averaged) output;
   * `inferenceMs` covers all runs, `queueMs` the wait before the first.
   */
  async infer(input: Float32Array, rgb: Promise<RgbImage | undefined> | RgbImage | undefined): Promise<InferenceOutcome> {
    const started = performance.now();
    const first = await this.pass(input);
    if (this.recipe.secondPass) {
      const { width: W, height: H } = this.manifest.input;
      const image = await rgb;
      if (!image) throw new Error('the second pass needs the decoded photo');
      const small = secondPassBox(outputToAlpha(first.output, this.manifest.output.activation), W, H);
      const box = small && scaleBox(small, W, H, image.width, image.height);
      if (box && !skipSecondPass(box, image.width, image.height)) {
        const second = await this.pass(planarFromRgbBilinear(cropRgb(image, box), this.manifest));
        const alpha = outputToAlpha(second.output, this.manifest.output.activation);
        this.crop = { box, alpha: resizeMaskAsymmetric(alpha, W, H, box.width, box.height) };
      }
    }
    // The runs took copies (flipped, batched, cropped): the input's memory is the caller's to reuse (InferenceOutcome.spentInput).
    const spentInput = input.byteLength > 0 ? (input.buffer as ArrayBuffer) : undefined;
    return { ...first, spentInput, inferenceMs: performance.now() - started - first.queueMs };
  }

  /** The full-size alpha with the second pass merged in (unchanged when it did not run). */
  merge(alpha: Uint8Array, width: number, height: number): Uint8Array {
    if (!this.crop) return alpha;
    const { box, alpha: crop } = this.crop;
    const feather = Math.max(1, Math.round(Math.min(box.width, box.height) * SECOND_PASS.feather));
    return mergeCrop(alpha, width, height, crop, box, feather);
  }

  /** One pass: the model's output plane, merged with the flipped input's (`recipe.merge`) when `flip` is on. */
  private async pass(input: Float32Array): Promise<InferenceOutcome> {
    const { width, height } = this.manifest.input;
    if (!this.recipe.flip) return this.run(input, this.part++);
    // Flipped before either run: a run may take its input over (transferred to the model's worker).
    const mirrored = flipPlanar(input, width, height, 3);
    // Both queued at once: one batch of 2 where the model allows it, two runs otherwise.
    const [plain, flipped] = await Promise.all([this.run(input, this.part++), this.run(mirrored, this.part++)]);
    const output = mergeFlipped(plain.output, flipped.output, width, height, this.recipe.merge, this.manifest.output.activation);
    return { ...plain, output };
  }
}
