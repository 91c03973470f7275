import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { InferenceClient } from '@cutout/inference-contract';
import { ort, sessionOptions } from '../src/engine/onnx-session';
import { scoreAlpha, summarise, type ImageScores, type SetScores } from '../src/evaluation/eval-metrics';
import { setOf } from '../src/evaluation/eval-split';
import {
  defaultGuidedFilterOptions,
  guidedFilterRefine,
  GUIDED_FILTER_TUNING,
  type GuidedFilterTuning,
} from '../src/imaging/guided-filter';
import { outputToAlpha, resizeMaskAsymmetric } from '../src/imaging/mask';
import { decodeRgb, probeImage } from '../src/imaging/preprocess';
import { planarFromRgbBilinear } from '../src/imaging/resample';
import { ensureModelFile } from '../src/models/model-assembler';
import { loadManifests } from '../src/models/model-manifest';
import { fullResRefineOptions, HighQualityPasses, recipeLabel, type HighQualityRecipe } from '../src/pipeline/high-quality';
import { readMask, sameSize, serviceMask, type EvalItem, type Plane } from './eval-data';

export interface TuneOptions {
  /** Comma-separated sets to tune on (e.g. "am" or "am,gc"). */
  sets: string;
  objective: string;
  radii: string;
  eps: string;
  guides: string;
}

interface Row {
  tuning: GuidedFilterTuning | null;
  scores: ImageScores;
}

const LIMITS = { maxBytes: 1e9, maxPixels: 1e9 };
const list = (csv: string) =>
  csv
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const label = (t: GuidedFilterTuning | null) => (t ? `radius ${t.baseRadius} eps ${t.eps} ${t.guide}` : 'no refine');
const same = (a: GuidedFilterTuning, b: GuidedFilterTuning) => a.baseRadius === b.baseRadius && a.eps === b.eps && a.guide === b.guide;

function mean(scores: ImageScores[]): ImageScores {
  const avg = (k: keyof ImageScores) => scores.reduce((s, x) => s + x[k], 0) / scores.length;
  return { iou: avg('iou'), mae: avg('mae'), boundaryF: avg('boundaryF') };
}

/**
 * Searches the guided filter's tunable parameters on `items` (the tune half): the model runs
 * once per image in the service (`refine: false`), then each candidate refines that mask here
 * with the service's own code and decode, and is scored against the human-made mask.
 */
export async function tuneRefine(
  client: InferenceClient,
  items: EvalItem[],
  model: string,
  options: TuneOptions,
  log: (line: string) => void,
) {
  const sets = new Set(list(options.sets));
  const objective = options.objective as keyof ImageScores;
  if (!['mae', 'iou', 'boundaryF'].includes(objective)) throw new Error('--objective must be mae, iou or boundaryF');
  const grid = list(options.radii).flatMap((r) =>
    list(options.eps).flatMap((e) =>
      list(options.guides).map((g) => ({ baseRadius: Number(r), eps: Number(e), guide: g as GuidedFilterTuning['guide'] })),
    ),
  );
  if (grid.some((t) => !(t.baseRadius >= 1) || !(t.eps > 0) || !['gray', 'color'].includes(t.guide)))
    throw new Error('bad --radii, --eps or --guides');
  const chosen = items.filter((item) => sets.has(setOf(item.name)));
  if (chosen.length === 0) throw new Error(`no tune-half images in sets ${options.sets}`);
  log(
    `tune: ${chosen.length} images of the tune half (sets ${[...sets].join(', ')}), model ${model}, ${grid.length} candidates, objective ${objective}`,
  );

  const cases: { name: string; rgb: Uint8Array; alpha: Plane; mask: Plane }[] = [];
  for (const item of chosen) {
    const image = readFileSync(item.image);
    const mask = await readMask(item.mask);
    const plain = await serviceMask(
      (await client.removeBackground({ image, modelId: model, options: { type: 'mask', refine: false } })).image,
    );
    sameSize(plain, mask, 'service');
    const rgb = await decodeRgb(image, await probeImage(image, LIMITS), LIMITS);
    if (cases.length === 0) {
      // The search must run the filter the service runs: same decode, same code, same bytes.
      const served = await serviceMask(
        (await client.removeBackground({ image, modelId: model, options: { type: 'mask', refine: true } })).image,
      );
      const local = await guidedFilterRefine(
        rgb.data,
        plain.data,
        plain.width,
        plain.height,
        defaultGuidedFilterOptions(plain.width, plain.height),
      );
      const differing = local.reduce((n, v, i) => n + (v === served.data[i] ? 0 : 1), 0);
      if (differing)
        throw new Error(
          `local refine differs from the service's refine on ${differing} pixels of ${item.name}: the search would tune another filter`,
        );
      log(`  check: the local refine with the current defaults reproduces the service's refine:true mask of ${item.name} byte for byte`);
    }
    cases.push({ name: item.name, rgb: rgb.data, alpha: plain, mask });
  }

  const score = async (tuning: GuidedFilterTuning | null): Promise<Row> => {
    const per: ImageScores[] = [];
    for (const c of cases) {
      const { width, height } = c.alpha;
      const pred = tuning
        ? await guidedFilterRefine(c.rgb, c.alpha.data, width, height, defaultGuidedFilterOptions(width, height, tuning))
        : c.alpha.data;
      per.push(scoreAlpha(pred, c.mask.data, width, height));
    }
    return { tuning, scores: mean(per) };
  };
  const rows: Row[] = [await score(null)];
  for (const tuning of grid) rows.push(await score(tuning));
  if (!grid.some((t) => same(t, GUIDED_FILTER_TUNING))) rows.push(await score(GUIDED_FILTER_TUNING));

  const better = (a: Row, b: Row) => (objective === 'mae' ? a.scores.mae - b.scores.mae : b.scores[objective] - a.scores[objective]);
  const ranked = rows.filter((r) => r.tuning).sort(better);
  const best = ranked[0];
  const fmt = (r: Row) =>
    `${label(r.tuning).padEnd(28)} IoU ${r.scores.iou.toFixed(4)}  MAE ${r.scores.mae.toFixed(5)}  boundary F ${r.scores.boundaryF.toFixed(4)}`;
  log(`\ncandidates on the tune half, best first (${objective}):`);
  for (const r of ranked) log(`  ${fmt(r)}${r.tuning && same(r.tuning, GUIDED_FILTER_TUNING) ? '   <- current default' : ''}`);
  log(`  ${fmt(rows[0])}   (baseline)`);
  const changed = !same(best.tuning as GuidedFilterTuning, GUIDED_FILTER_TUNING);
  log(
    `\nbest: ${label(best.tuning)}${changed ? ` (differs from the current default ${label(GUIDED_FILTER_TUNING)}: set GUIDED_FILTER_TUNING in apps/inference/src/imaging/guided-filter.ts)` : ' (the current default)'}`,
  );
  return {
    model,
    objective,
    images: cases.map((c) => c.name),
    best: best.tuning,
    currentDefault: GUIDED_FILTER_TUNING,
    changed,
    candidates: rows.map((r) => ({ tuning: r.tuning, ...r.scores })),
  };
}

/**
 * The HIGH mode's candidates (apps/inference/src/pipeline/high-quality.ts) side by side on
 * `items`: every recipe runs the service's own HIGH code on the service's default path
 * (one decode, bilinear 'asymmetric' resize) with a local ONNX Runtime session of the same
 * model and settings. Identical model inputs are run once and shared between recipes, so
 * the cost is reported as model runs per image plus the measured time of everything else.
 * The first image's `standard` recipe is checked byte for byte against the service's mask.
 */
export async function searchHighCandidates(
  client: InferenceClient,
  items: EvalItem[],
  model: string,
  recipes: HighQualityRecipe[],
  modelsDir: string,
  log: (line: string) => void,
) {
  const manifest = loadManifests(modelsDir).find((m) => m.id === model);
  if (!manifest) throw new Error(`unknown model ${model}`);
  const { path } = await ensureModelFile(modelsDir, manifest);
  const session = await ort.InferenceSession.create(path, sessionOptions('cpu', availableParallelism()));
  const { width: W, height: H } = manifest.input;
  const runMs: number[] = [];
  let cache = new Map<string, Float32Array>();
  const run = async (input: Float32Array): Promise<Float32Array> => {
    const key = createHash('sha1')
      .update(new Uint8Array(input.buffer, input.byteOffset, input.byteLength))
      .digest('hex');
    const hit = cache.get(key);
    if (hit) return hit;
    const started = performance.now();
    const results = await session.run({ [manifest.input.name]: new ort.Tensor('float32', input, [1, 3, H, W]) });
    const out = results[manifest.output.name] ?? Object.values(results)[manifest.output.index];
    const plane = (out.data as Float32Array).slice(0, W * H);
    runMs.push(performance.now() - started);
    cache.set(key, plane);
    return plane;
  };
  log(`HIGH candidates: ${items.length} images, model ${model}, ${recipes.length} recipes: ${recipes.map(recipeLabel).join(', ')}`);
  const per = recipes.map(() => [] as { name: string; scores: ImageScores }[]);
  const cost = recipes.map(() => ({ runs: 0, otherMs: 0, secondPasses: 0 }));
  for (const [n, item] of items.entries()) {
    cache = new Map();
    const image = readFileSync(item.image);
    const mask = await readMask(item.mask);
    const rgb = await decodeRgb(image, await probeImage(image, LIMITS), LIMITS);
    let text = `${item.name.padEnd(16)}`;
    for (const [r, recipe] of recipes.entries()) {
      const runsBefore = runMs.length;
      let calls = 0;
      const started = performance.now();
      const passes = new HighQualityPasses(recipe, manifest, async (input) => {
        calls++;
        return { output: await run(input), queueMs: 0, inferenceMs: 0, batchSize: 1 };
      });
      const first = await passes.infer(planarFromRgbBilinear(rgb, manifest), rgb);
      let alpha = resizeMaskAsymmetric(outputToAlpha(first.output, manifest.output.activation), W, H, rgb.width, rgb.height);
      alpha = passes.merge(alpha, rgb.width, rgb.height);
      if (recipe.fullResRefine)
        alpha = await guidedFilterRefine(rgb.data, alpha, rgb.width, rgb.height, fullResRefineOptions(rgb.width, rgb.height));
      const newRunMs = runMs.slice(runsBefore).reduce((s, x) => s + x, 0);
      cost[r].runs += calls;
      cost[r].otherMs += performance.now() - started - newRunMs;
      if (passes.box) cost[r].secondPasses++;
      if (n === 0 && r === 0 && recipeLabel(recipe) === 'standard') {
        const served = await serviceMask(
          (await client.removeBackground({ image, modelId: model, options: { type: 'mask', refine: false } })).image,
        );
        const differing = alpha.reduce((k, v, i) => k + (v === served.data[i] ? 0 : 1), 0);
        if (differing) throw new Error(`local standard pass differs from the service's mask on ${differing} pixels of ${item.name}`);
        log(`  check: the local standard pass reproduces the service's mask of ${item.name} byte for byte`);
      }
      const s = scoreAlpha(
        sameSize({ data: alpha, width: rgb.width, height: rgb.height }, mask, recipeLabel(recipe)),
        mask.data,
        mask.width,
        mask.height,
      );
      per[r].push({ name: item.name, scores: s });
      text += `  ${recipeLabel(recipe)} MAE ${s.mae.toFixed(4)} F ${s.boundaryF.toFixed(3)}`;
    }
    log(text);
  }
  await session.release();
  const modelMs = [...runMs].sort((a, b) => a - b)[Math.floor(runMs.length / 2)];
  const fmtSet = (s: SetScores) => `IoU ${s.iou.toFixed(3)}  MAE ${s.mae.toFixed(4)}  F ${s.boundaryF.toFixed(3)}`;
  const rows = recipes.map((recipe, r) => {
    const summary = summarise(per[r]);
    const runs = cost[r].runs / items.length;
    const otherMs = cost[r].otherMs / items.length;
    return {
      recipe: recipeLabel(recipe),
      ...summary,
      runsPerImage: runs,
      otherMsPerImage: otherMs,
      secondPasses: cost[r].secondPasses,
      estMs: runs * modelMs + otherMs,
    };
  });
  const base = rows.find((row) => row.recipe === 'standard');
  log(`\nmodel run median ${modelMs.toFixed(0)} ms (${runMs.length} runs); cost per image = runs x that + the rest, measured here`);
  for (const row of rows) {
    log(`${row.recipe.padEnd(34)} overall ${fmtSet(row.overall)}`);
    for (const [set, s] of Object.entries(row.sets)) log(`${''.padEnd(34)} ${set.padEnd(7)} ${fmtSet(s)}`);
    log(
      `${''.padEnd(34)} cost   ${row.runsPerImage.toFixed(2)} runs/image, +${row.otherMsPerImage.toFixed(0)} ms other, ~${row.estMs.toFixed(0)} ms/image${base ? ` (${(row.estMs / base.estMs).toFixed(2)}x standard)` : ''}; second pass ran on ${row.secondPasses}/${items.length}`,
    );
  }
  return { model, images: items.map((i) => i.name), modelRunMs: modelMs, rows };
}
