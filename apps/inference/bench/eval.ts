// npm run eval -- [--split report|tune|all] [--refine] [--model medium|small] [--json] [--no-peer] [--limit N] [--images <dir> --masks <dir>]
// npm run eval -- [--mode standard|high]   (HIGH over gRPC: the recipe in apps/inference/src/pipeline/high-quality.ts)
// npm run eval -- --candidates [all | "standard;flip;flip+secondPass;..."] [--split tune] [--no-peer]
//   the flip's merge rule: "flip@confident;flip@logitMean;flip@gate:0.3;..." (rules: MERGE_RULES in high-quality.ts; plain "flip" = mean)
// npm run eval -- --tune [--sets am] [--objective mae|boundaryF|iou] [--radii 2,4,8] [--eps 1e-4,1e-3,1e-2] [--guides gray,color]
// Quality of this service (over real gRPC) and of @imgly/background-removal-node (the peer) on
// images with human-made masks matched by name (see ../shared/eval/README.md). Figures are
// reported on the `report` half of the dev set by default; `--tune` searches the refine
// parameters on the `tune` half only (apps/inference/src/evaluation/eval-split.ts).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { scoreAlpha, summarise, type ImageScores, type SetScores } from '../src/evaluation/eval-metrics';
import { parseSplit, selectSplit } from '../src/evaluation/eval-split';
import { allRecipes, parseRecipe } from '../src/pipeline/high-quality';
import { REPO_MODELS_DIR, startModelServer } from '../src/testing/test-server';
import { evalPairs, readMask, sameSize, serviceMask } from './eval-data';
import { searchHighCandidates, tuneRefine } from './eval-tune';
import { peerAlpha } from './peer.adapter';

const REPO = resolve(__dirname, '..', '..', '..');

const { values: args } = parseArgs({
  options: {
    images: { type: 'string', default: join(REPO, '..', 'shared', 'eval', 'images') },
    masks: { type: 'string', default: join(REPO, '..', 'shared', 'eval', 'masks') },
    model: { type: 'string', default: 'medium' },
    split: { type: 'string', default: 'report' },
    refine: { type: 'boolean', default: false },
    mode: { type: 'string', default: 'standard' },
    candidates: { type: 'string' },
    json: { type: 'boolean', default: false },
    'no-peer': { type: 'boolean', default: false },
    limit: { type: 'string' },
    tune: { type: 'boolean', default: false },
    sets: { type: 'string', default: 'am' },
    objective: { type: 'string', default: 'mae' },
    radii: { type: 'string', default: '2,4,8' },
    eps: { type: 'string', default: '1e-4,1e-3,1e-2' },
    guides: { type: 'string', default: 'gray,color' },
  },
});

const fmt = (s: SetScores) =>
  `n=${String(s.n).padStart(3)}  IoU ${s.iou.toFixed(3)}  MAE ${s.mae.toFixed(4)}  boundary F ${s.boundaryF.toFixed(3)}`;
const line = (s: ImageScores) => `IoU ${s.iou.toFixed(3)} MAE ${s.mae.toFixed(4)} F ${s.boundaryF.toFixed(3)}`;

async function main(): Promise<void> {
  if (!existsSync(args.images) || !existsSync(args.masks)) throw new Error(`no such folders: ${args.images}, ${args.masks}`);
  const model = args.model as 'medium' | 'small';
  if (args.mode !== 'standard' && args.mode !== 'high') throw new Error(`--mode must be standard or high; got ${args.mode}`);
  const mode = args.mode;
  const split = args.tune ? 'tune' : parseSplit(args.split);
  if (args.tune && args.split !== 'report' && args.split !== 'tune') throw new Error('--tune always works on the tune half; drop --split');
  let list = selectSplit(evalPairs(args.images, args.masks), split);
  if (args.limit) list = list.slice(0, Number(args.limit));
  if (list.length === 0) throw new Error('no image/mask pairs matched by name');
  const log = (text: string) => (args.json ? process.stderr : process.stdout).write(`${text}\n`);

  const server = await startModelServer(model);
  try {
    if (args.tune) {
      const result = await tuneRefine(
        server.client,
        list,
        model,
        { sets: args.sets, objective: args.objective, radii: args.radii, eps: args.eps, guides: args.guides },
        log,
      );
      if (args.json) console.log(JSON.stringify(result));
      return;
    }
    if (args.candidates !== undefined) {
      const recipes = args.candidates === '' || args.candidates === 'all' ? allRecipes() : args.candidates.split(';').map(parseRecipe);
      const result = await searchHighCandidates(server.client, list, model, recipes, REPO_MODELS_DIR, log);
      if (args.json) console.log(JSON.stringify({ split, ...result }));
      return;
    }
    log(`eval: ${list.length} images (split ${split}), model ${model}, refine ${args.refine}, mode ${mode}`);
    const ours: { name: string; scores: ImageScores }[] = [];
    const peer: { name: string; scores: ImageScores }[] = [];
    const peerRounded: { name: string; scores: ImageScores }[] = [];
    for (const item of list) {
      const image = readFileSync(item.image);
      const mask = await readMask(item.mask);
      const result = await server.client.removeBackground({ image, modelId: model, options: { type: 'mask', refine: args.refine, mode } });
      const s = scoreAlpha(sameSize(await serviceMask(result.image), mask, 'service'), mask.data, mask.width, mask.height);
      ours.push({ name: item.name, scores: s });
      let text = `${item.name.padEnd(16)} service ${line(s)}`;
      if (!args['no-peer']) {
        const { shipped, rounded, width, height } = await peerAlpha(image, model);
        const p = scoreAlpha(sameSize({ data: shipped, width, height }, mask, 'peer'), mask.data, mask.width, mask.height);
        const pr = scoreAlpha(rounded, mask.data, mask.width, mask.height);
        peer.push({ name: item.name, scores: p });
        peerRounded.push({ name: item.name, scores: pr });
        text += `   peer ${line(p)}   peer rounded MAE ${pr.mae.toFixed(4)}`;
      }
      log(text);
    }
    const summary = summarise(ours);
    const peerSummary = peer.length ? summarise(peer) : undefined;
    log(`\nmodel ${model}, refine ${args.refine}, mode ${mode}, split ${split}`);
    for (const [set, s] of Object.entries(summary.sets))
      log(`service  ${set.padEnd(8)} ${fmt(s)}${peerSummary ? `   | peer ${fmt(peerSummary.sets[set])}` : ''}`);
    log(`service  overall  ${fmt(summary.overall)}${peerSummary ? `   | peer ${fmt(peerSummary.overall)}` : ''}`);
    const roundedSummary = peerRounded.length ? summarise(peerRounded) : undefined;
    if (roundedSummary) {
      log(`\npeer as shipped (truncates the model's floats to 8 bits) vs the peer's pipeline rounding like the service:`);
      for (const [set, s] of [...Object.entries(roundedSummary.sets), ['overall', roundedSummary.overall] as const])
        log(`peer rounded  ${set.padEnd(8)} ${fmt(s)}`);
    }
    const images = list.map((i) => i.name);
    if (args.json)
      console.log(
        JSON.stringify({
          model,
          refine: args.refine,
          mode,
          split,
          images,
          ...summary,
          peer: peerSummary ?? null,
          peerRounded: roundedSummary ?? null,
        }),
      );
  } finally {
    await server.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
