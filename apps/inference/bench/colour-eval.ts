// npm run eval:colour -- [--split report|tune|all] [--tune] [--json] [--speed-runs 3] [--no-speed] [--model-alpha] [--profile]
// Colour decontamination on synthetic composites whose true foreground is known: for every `am_*`
// photo (true soft alpha, ../shared/eval) build I = αF + (1 − α)B with the photo as F, its true
// alpha and three backgrounds (flat white, flat dark, a textured photo resized), estimate F from
// I and α (apps/inference/src/imaging/foreground-estimation.ts), and print the mean colour error
// in the band 0 < α < 1 for "keep I" (what cut-outs shipped before) against the estimate.
// Error = mean absolute RGB difference / 255 over the band's pixels and channels; "α-weighted"
// weighs each pixel by α (its weight once composited). `--tune` searches ε, ω, the sweeps and the
// dense limit on the `tune` half only; figures are reported on the `report` half by default.
// Timing: ms per MP of decontaminate() on the am photos and on the 2–5 MP speed photos (with an
// am true alpha resized to their size), restricted (default) and dense sweeps interleaved.
// `--model-alpha`: the guard against model errors. With the SERVICE's mask as α (real gRPC, model
// `medium`, masks cached under dist/colour-eval/masks), decontaminate each `am` photo itself and
// measure the colour change in the pixels the human mask calls opaque (α_true = 255): there any
// change is damage (the "background" was never seen). Guard on (default) against off, per photo.
// `--profile`: CPU time (process.cpuUsage) of decontaminate() on the 2–5 MP speed photos with the
// service's own masks (after one untimed call each), guard on and off interleaved (`--options '{"sweepFrom":0}'` for an A/B
// against other settings instead of guard off).
// `--tune-fade` / `--tune-speed` (tune half only): the guard's fade D1 → D2, then the cheaper
// finest level (faint pixels not swept, finest sweeps, skipped large coarse levels), each scored by
// the α-weighted band error (mean over the composites) and the model-alpha damage. `--tune-speed
// --options '[{…}, {…}]'` scores exactly those settings.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { parseSplit, selectSplit } from '../src/evaluation/eval-split';
import { decontaminate, FOREGROUND_DEFAULTS, type ForegroundOptions } from '../src/imaging/foreground-estimation';
import { evalPairs, readMask, type Plane } from './eval-data';
import { serviceMasks } from './service-masks';

const REPO = resolve(__dirname, '..', '..', '..');
const EVAL = join(REPO, '..', 'shared', 'eval');

const { values: args } = parseArgs({
  options: {
    images: { type: 'string', default: join(EVAL, 'images') },
    masks: { type: 'string', default: join(EVAL, 'masks') },
    speed: { type: 'string', default: join(EVAL, 'speed') },
    split: { type: 'string', default: 'report' },
    tune: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    'speed-runs': { type: 'string', default: '3' },
    'no-speed': { type: 'boolean', default: false },
    texture: { type: 'string', default: 'gc_flower.jpg' },
    'model-alpha': { type: 'boolean', default: false },
    'guard-only': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    model: { type: 'string', default: 'medium' },
    'tune-fade': { type: 'boolean', default: false },
    'tune-speed': { type: 'boolean', default: false },
    options: { type: 'string', default: '' },
  },
});

interface Rgb {
  data: Uint8Array;
  width: number;
  height: number;
}

async function readRgb(path: string, width?: number, height?: number): Promise<Rgb> {
  let image = sharp(readFileSync(path)).removeAlpha();
  if (width && height) image = image.resize(width, height, { fit: 'fill' });
  const { data, info } = await image.toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

interface Scene {
  name: string;
  background: string;
  truth: Uint8Array;
  composite: Uint8Array;
  alpha: Uint8Array;
  width: number;
  height: number;
}

function composite(f: Uint8Array, alpha: Uint8Array, bg: (k: number) => number): Uint8Array {
  const out = new Uint8Array(f.length);
  for (let i = 0; i < alpha.length; i++) {
    const a = alpha[i] / 255;
    for (let c = 0; c < 3; c++) out[i * 3 + c] = Math.round(a * f[i * 3 + c] + (1 - a) * bg(i * 3 + c));
  }
  return out;
}

interface BandError {
  keep: number;
  estimated: number;
  keepWeighted: number;
  estimatedWeighted: number;
  band: number;
}

function bandError(s: Scene, estimated: Uint8Array): BandError {
  let keep = 0;
  let est = 0;
  let keepW = 0;
  let estW = 0;
  let wsum = 0;
  let n = 0;
  for (let i = 0; i < s.alpha.length; i++) {
    const a = s.alpha[i];
    if (a === 0 || a === 255) continue;
    let ek = 0;
    let ee = 0;
    for (let c = 0; c < 3; c++) {
      const k = i * 3 + c;
      ek += Math.abs(s.composite[k] - s.truth[k]);
      ee += Math.abs(estimated[k] - s.truth[k]);
    }
    keep += ek;
    est += ee;
    keepW += (ek * a) / 255;
    estW += (ee * a) / 255;
    wsum += a / 255;
    n++;
  }
  const per = 3 * 255;
  return {
    keep: n ? keep / n / per : 0,
    estimated: n ? est / n / per : 0,
    keepWeighted: wsum ? keepW / wsum / per : 0,
    estimatedWeighted: wsum ? estW / wsum / per : 0,
    band: n,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function scenes(split: 'tune' | 'report' | 'all'): Promise<Scene[]> {
  const items = selectSplit(
    evalPairs(args.images, args.masks).filter((p) => p.name.startsWith('am_')),
    split,
  );
  const out: Scene[] = [];
  for (const item of items) {
    const f = await readRgb(item.image);
    const mask = await readMask(item.mask);
    if (mask.width !== f.width || mask.height !== f.height) throw new Error(`${item.name}: mask and photo sizes differ`);
    const texture = await readRgb(join(args.images, args.texture), f.width, f.height);
    const backgrounds: [string, (k: number) => number][] = [
      ['white', () => 255],
      ['dark', (k) => [24, 28, 36][k % 3]],
      ['textured', (k) => texture.data[k]],
    ];
    for (const [background, bg] of backgrounds)
      out.push({
        name: item.name,
        background,
        truth: f.data,
        alpha: mask.data,
        composite: composite(f.data, mask.data, bg),
        width: f.width,
        height: f.height,
      });
  }
  return out;
}

function evaluate(list: Scene[], options: Partial<ForegroundOptions>) {
  return list.map((s) => {
    const t0 = performance.now();
    const est = decontaminate(s.composite, s.alpha, s.width, s.height, options);
    const ms = performance.now() - t0;
    return { scene: s, error: bandError(s, est), ms };
  });
}

async function tune(): Promise<void> {
  const list = await scenes('tune');
  const grid: Partial<ForegroundOptions>[] = [];
  for (const regularization of [1e-5, 1e-3])
    for (const gradientWeight of [0, 0.03, 0.1, 0.3, 1])
      for (const bigIterations of [2, 4, 8]) grid.push({ regularization, gradientWeight, bigIterations });
  const score = (o: Partial<ForegroundOptions>) => {
    const r = evaluate(list, o);
    return { o, error: r.reduce((s, x) => s + x.error.estimated, 0) / r.length, ms: r.reduce((s, x) => s + x.ms, 0) };
  };
  // The guard against model errors (D at a 1024-pixel long side × the background threshold).
  const guardRows = [];
  for (const guardDistance of GUARD_GRID)
    for (const backgroundBelow of [0.02, 0.05, 0.1]) guardRows.push(score({ guardDistance, backgroundBelow }));
  if (args['guard-only']) grid.length = 0;
  const rows = grid.map(score).sort((a, b) => a.error - b.error);
  // The three best, swept densely on every level too (the band-only finest levels' cost in error).
  rows.push(...rows.slice(0, 3).map((r) => score({ ...r.o, denseLimit: Infinity })));
  // Then the band-only finest level's thresholds, with the other settings at their defaults.
  if (!args['guard-only'])
    for (const sweepFrom of [0, 0.02, 0.05]) for (const opaqueFrom of [1, 0.98, 0.95]) rows.push(score({ sweepFrom, opaqueFrom }));
  rows.push(...guardRows);
  const keep = evaluate(list, {}).reduce((s, x) => s + x.error.keep, 0) / list.length;
  console.log(`tune half: ${list.length / 3} am photos × 3 backgrounds; mean band error, keep I: ${keep.toFixed(4)}`);
  for (const r of rows)
    console.log(
      `ε ${(r.o.regularization ?? FOREGROUND_DEFAULTS.regularization).toExponential(0)}  ω ${r.o.gradientWeight ?? FOREGROUND_DEFAULTS.gradientWeight}  sweeps ${r.o.bigIterations ?? FOREGROUND_DEFAULTS.bigIterations}  dense ≤ ${r.o.denseLimit ?? FOREGROUND_DEFAULTS.denseLimit}  sweep α ≥ ${r.o.sweepFrom ?? FOREGROUND_DEFAULTS.sweepFrom}, opaque α ≥ ${r.o.opaqueFrom ?? FOREGROUND_DEFAULTS.opaqueFrom}  guard D ${r.o.guardDistance ?? FOREGROUND_DEFAULTS.guardDistance}, bg α < ${r.o.backgroundBelow ?? FOREGROUND_DEFAULTS.backgroundBelow}  error ${r.error.toFixed(4)}  (${r.ms.toFixed(0)} ms)`,
    );
}

async function speed(runs: number) {
  const files = readdirSync(args.speed).sort();
  const alphaSource = evalPairs(args.images, args.masks).find((p) => p.name.startsWith('am_'));
  if (!alphaSource) throw new Error('no am_ mask for the speed alpha');
  const rows: { file: string; mp: number; band: number; restricted: number[]; dense: number[] }[] = [];
  for (const file of files) {
    const rgb = await readRgb(join(args.speed, file));
    const { data: alpha } = await sharp(readFileSync(alphaSource.mask))
      .greyscale()
      .resize(rgb.width, rgb.height, { fit: 'fill' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    let band = 0;
    for (const a of alpha) if (a > 0 && a < 255) band++;
    const row = { file, mp: (rgb.width * rgb.height) / 1e6, band: band / alpha.length, restricted: [] as number[], dense: [] as number[] };
    for (let r = 0; r < runs; r++) {
      let t = performance.now();
      decontaminate(rgb.data, alpha, rgb.width, rgb.height);
      row.restricted.push(performance.now() - t);
      t = performance.now();
      decontaminate(rgb.data, alpha, rgb.width, rgb.height, { denseLimit: Infinity });
      row.dense.push(performance.now() - t);
    }
    rows.push(row);
  }
  return rows;
}

/** The service's masks of these photos, cached where this bench always kept them. */
const masksOf = (paths: string[]) => serviceMasks(paths, args.model, join(REPO, 'dist', 'colour-eval', 'masks'));

const GUARD_OFF: Partial<ForegroundOptions> = { guardDistance: Infinity };
const GUARD_GRID = [Infinity, 8, 16, 24, 32, 48];

/**
 * Colour change where the human mask says opaque, as seen once composited: α_model · |ΔRGB| / 255
 * (a pixel the model made nearly transparent shows little of its colour). Its mean over those
 * pixels, and how many changed by > 16 levels in some channel.
 */
function opaqueDamage(photo: Uint8Array, out: Uint8Array, truth: Uint8Array, alpha: Uint8Array) {
  let sum = 0;
  let n = 0;
  let visible = 0;
  for (let i = 0; i < truth.length; i++) {
    if (truth[i] !== 255) continue;
    n++;
    const a = alpha[i] / 255;
    let d = 0;
    let m = 0;
    for (let c = 0; c < 3; c++) {
      const e = a * Math.abs(out[i * 3 + c] - photo[i * 3 + c]);
      d += e;
      if (e > m) m = e;
    }
    sum += d;
    if (m > 16) visible++;
  }
  return { mean: n ? sum / n / 3 / 255 : 0, visible, opaque: n };
}

async function modelAlpha(split: 'tune' | 'report' | 'all', variants: [string, Partial<ForegroundOptions>][]): Promise<void> {
  const items = selectSplit(
    evalPairs(args.images, args.masks).filter((p) => p.name.startsWith('am_')),
    split,
  );
  const masks = await masksOf(items.map((i) => i.image));
  console.log(
    `model-alpha check, ${split} half (${items.length} am photos), model ${args.model}: the photo decontaminated with the service's mask; ` +
      `colour change seen once composited, α_model·|ΔRGB|/255, in pixels with α_true = 255 (mean ×1000; pixels changed > 16 levels)`,
  );
  const totals = variants.map(() => ({ mean: 0, visible: 0 }));
  for (const item of items) {
    const photo = await readRgb(item.image);
    const truth = await readMask(item.mask);
    const alpha = masks.get(item.image) as Plane;
    let text = item.name.padEnd(8);
    variants.forEach(([name, o], v) => {
      const d = opaqueDamage(photo.data, decontaminate(photo.data, alpha.data, photo.width, photo.height, o), truth.data, alpha.data);
      totals[v].mean += d.mean / items.length;
      totals[v].visible += d.visible;
      text += `  ${name} ${(d.mean * 1000).toFixed(2)} (${String(d.visible).padStart(6)} px)`;
    });
    console.log(text);
  }
  console.log(
    `mean    ${variants.map(([name], v) => `  ${name} ${(totals[v].mean * 1000).toFixed(2)} (${String(totals[v].visible).padStart(6)} px)`).join('')}`,
  );
}

/** The α-weighted band error (true alpha, mean over the tune composites) and the model-alpha damage (tune photos), per setting. */
async function tuneBoth(grid: Partial<ForegroundOptions>[]): Promise<void> {
  const list = await scenes('tune');
  const items = selectSplit(
    evalPairs(args.images, args.masks).filter((p) => p.name.startsWith('am_')),
    'tune',
  );
  const masks = await masksOf(items.map((i) => i.image));
  const photos = [];
  for (const item of items)
    photos.push({ photo: await readRgb(item.image), truth: await readMask(item.mask), alpha: masks.get(item.image) as Plane });
  console.log(
    `tune half: ${list.length / 3} am photos × 3 backgrounds; α-weighted (plain) band error, mean; model-alpha damage ‰ (pixels > 16 levels)`,
  );
  for (const o of grid) {
    const r = evaluate(list, o);
    const weighted = r.reduce((s, x) => s + x.error.estimatedWeighted, 0) / r.length;
    const plain = r.reduce((s, x) => s + x.error.estimated, 0) / r.length;
    let damage = 0;
    let visible = 0;
    for (const { photo, truth, alpha } of photos) {
      const d = opaqueDamage(photo.data, decontaminate(photo.data, alpha.data, photo.width, photo.height, o), truth.data, alpha.data);
      damage += d.mean / photos.length;
      visible += d.visible;
    }
    console.log(
      `${JSON.stringify(o).padEnd(72)} error ${weighted.toFixed(4)} (${plain.toFixed(4)})  damage ${(damage * 1000).toFixed(2)} (${visible} px)  ${r.reduce((s, x) => s + x.ms, 0).toFixed(0)} ms`,
    );
  }
}

async function profile(runs: number): Promise<void> {
  const files = readdirSync(args.speed)
    .sort()
    .map((f) => join(args.speed, f));
  const masks = await masksOf(files);
  console.log(
    `CPU ms (user + system, process.cpuUsage) of decontaminate() with the service mask; median of runs, defaults / ${args.options ? args.options : 'guard off'} interleaved`,
  );
  const other: Partial<ForegroundOptions> = args.options ? (JSON.parse(args.options) as Partial<ForegroundOptions>) : GUARD_OFF;
  for (const file of files) {
    const rgb = await readRgb(file);
    const alpha = (masks.get(file) as Plane).data;
    let band = 0;
    for (const a of alpha) if (a > 0 && a < 255) band++;
    const on: number[] = [];
    const off: number[] = [];
    // Warm: a long-running service has compiled this code long before; one untimed call per setting.
    for (const o of [{}, other]) decontaminate(rgb.data, alpha, rgb.width, rgb.height, o);
    for (let r = 0; r < runs; r++)
      for (const [list, o] of [
        [on, {}],
        [off, other],
      ] as const) {
        const t = process.cpuUsage();
        decontaminate(rgb.data, alpha, rgb.width, rgb.height, o);
        const d = process.cpuUsage(t);
        list.push((d.user + d.system) / 1000);
      }
    console.log(
      `${basename(file).padEnd(20)} ${((rgb.width * rgb.height) / 1e6).toFixed(2)} MP, 0<α<1 ${((band / alpha.length) * 100).toFixed(1)} %  defaults ${median(on).toFixed(0)} ms  other ${median(off).toFixed(0)} ms`,
    );
  }
}

async function main(): Promise<void> {
  if (args['model-alpha'])
    return modelAlpha(
      parseSplit(args.split),
      args['guard-only']
        ? GUARD_GRID.flatMap((guardDistance) =>
            [0.02, 0.05, 0.1].map((backgroundBelow): [string, Partial<ForegroundOptions>] => [
              `D${guardDistance}/${backgroundBelow}`,
              { guardDistance, backgroundBelow },
            ]),
          )
        : [
            ['guard', {}],
            ['off', GUARD_OFF],
          ],
    );
  if (args.profile) return profile(Number(args['speed-runs']));
  if (args['tune-fade'])
    return tuneBoth(
      [8, 16, 24, 32].flatMap((guardDistance) => [0, 8, 16, 32, 48].map((extra) => ({ guardDistance, guardFade: guardDistance + extra }))),
    );
  if (args['tune-speed']) {
    const given = args.options ? (JSON.parse(args.options) as Partial<ForegroundOptions> | Partial<ForegroundOptions>[]) : {};
    // A list: exactly those settings; one object: the grid below on top of it.
    if (Array.isArray(given)) return tuneBoth(given);
    const base = given;
    const grid: Partial<ForegroundOptions>[] = [];
    for (const sweepFrom of [0, 2 / 255, 4 / 255])
      for (const finestIterations of [2, 4, 8])
        for (const coarseLimit of [Infinity, 1 << 19, 1 << 17]) grid.push({ ...base, sweepFrom, finestIterations, coarseLimit });
    return tuneBoth(grid);
  }
  if (args.tune) return tune();
  const split = parseSplit(args.split);
  const list = await scenes(split);
  if (list.length === 0) throw new Error('no am_ photos in this split');
  const results = evaluate(list, {});
  const log = (text: string) => (args.json ? process.stderr : process.stdout).write(`${text}\n`);
  log(
    `colour error in the band 0<α<1 (mean |ΔRGB|/255; α-weighted in brackets), ${split} half, settings ${JSON.stringify(FOREGROUND_DEFAULTS)}`,
  );
  for (const r of results)
    log(
      `${r.scene.name.padEnd(8)} ${r.scene.background.padEnd(8)} band ${String(r.error.band).padStart(6)} px  keep I ${r.error.keep.toFixed(4)} (${r.error.keepWeighted.toFixed(4)})  estimated F ${r.error.estimated.toFixed(4)} (${r.error.estimatedWeighted.toFixed(4)})  ${((r.ms * 1e6) / (r.scene.width * r.scene.height)).toFixed(0)} ms/MP`,
    );
  const summary: Record<string, { keep: number; estimated: number; keepWeighted: number; estimatedWeighted: number; photos: number }> = {};
  for (const background of ['white', 'dark', 'textured', 'all']) {
    const sel = results.filter((r) => background === 'all' || r.scene.background === background);
    summary[background] = {
      keep: median(sel.map((r) => r.error.keep)),
      estimated: median(sel.map((r) => r.error.estimated)),
      keepWeighted: median(sel.map((r) => r.error.keepWeighted)),
      estimatedWeighted: median(sel.map((r) => r.error.estimatedWeighted)),
      photos: sel.length,
    };
    const s = summary[background];
    log(
      `median ${background.padEnd(8)} (${s.photos})  keep I ${s.keep.toFixed(4)} (${s.keepWeighted.toFixed(4)})  estimated F ${s.estimated.toFixed(4)} (${s.estimatedWeighted.toFixed(4)})  error ×${(s.estimated / s.keep).toFixed(2)}`,
    );
  }
  const msPerMp = median(results.map((r) => (r.ms * 1e6) / (r.scene.width * r.scene.height)));
  log(`am photos: median ${msPerMp.toFixed(0)} ms/MP`);
  const timing = args['no-speed'] ? [] : await speed(Number(args['speed-runs']));
  for (const t of timing)
    log(
      `${t.file.padEnd(20)} ${t.mp.toFixed(2)} MP, band ${(t.band * 100).toFixed(1)} %  restricted median ${median(t.restricted).toFixed(0)} ms (${(median(t.restricted) / t.mp).toFixed(0)} ms/MP)  dense ${median(t.dense).toFixed(0)} ms (${(median(t.dense) / t.mp).toFixed(0)} ms/MP)`,
    );
  if (args.json)
    process.stdout.write(
      `${JSON.stringify({ split, settings: FOREGROUND_DEFAULTS, perPhoto: results.map((r) => ({ name: r.scene.name, background: r.scene.background, ...r.error, ms: r.ms })), summary, msPerMp, speed: timing }, null, 2)}\n`,
    );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
