import { readFileSync } from 'node:fs';
import type { InferenceClient } from '@cutout/inference-contract';
import { scoreAlpha, type ImageScores } from '../src/evaluation/eval-metrics';
import { setOf } from '../src/evaluation/eval-split';
import {
  defaultGuidedFilterOptions,
  guidedFilterRefine,
  GUIDED_FILTER_TUNING,
  type GuidedFilterTuning,
} from '../src/imaging/guided-filter';
import { decodeRgb, probeImage } from '../src/imaging/preprocess';
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
