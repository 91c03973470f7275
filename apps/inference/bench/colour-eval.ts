// npm run eval:colour -- [--split report|tune|all] [--tune] [--json] [--speed-runs 3] [--no-speed]
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
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { parseSplit, selectSplit } from '../src/evaluation/eval-split';
import { decontaminate, FOREGROUND_DEFAULTS, type ForegroundOptions } from '../src/imaging/foreground-estimation';
import { evalPairs, readMask } from './eval-data';

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
  const rows = grid.map(score).sort((a, b) => a.error - b.error);
  // The three best, swept densely on every level too (the band-only finest levels' cost in error).
  rows.push(...rows.slice(0, 3).map((r) => score({ ...r.o, denseLimit: Infinity })));
  // Then the band-only finest level's thresholds, with the other settings at their defaults.
  for (const sweepFrom of [0, 0.02, 0.05]) for (const opaqueFrom of [1, 0.98, 0.95]) rows.push(score({ sweepFrom, opaqueFrom }));
  const keep = evaluate(list, {}).reduce((s, x) => s + x.error.keep, 0) / list.length;
  console.log(`tune half: ${list.length / 3} am photos × 3 backgrounds; mean band error, keep I: ${keep.toFixed(4)}`);
  for (const r of rows)
    console.log(
      `ε ${(r.o.regularization ?? FOREGROUND_DEFAULTS.regularization).toExponential(0)}  ω ${r.o.gradientWeight ?? FOREGROUND_DEFAULTS.gradientWeight}  sweeps ${r.o.bigIterations ?? FOREGROUND_DEFAULTS.bigIterations}  dense ≤ ${r.o.denseLimit ?? FOREGROUND_DEFAULTS.denseLimit}  sweep α ≥ ${r.o.sweepFrom ?? FOREGROUND_DEFAULTS.sweepFrom}, opaque α ≥ ${r.o.opaqueFrom ?? FOREGROUND_DEFAULTS.opaqueFrom}  error ${r.error.toFixed(4)}  (${r.ms.toFixed(0)} ms)`,
    );
}

async function speed(runs: number) {
  const files = (await import('node:fs')).readdirSync(args.speed).sort();
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

async function main(): Promise<void> {
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
