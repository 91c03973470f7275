// npm run bench:ab -- [--baseline <git rev>] [--stage decontaminate|encode] [--rounds 12] [--model medium] [--limit N] [--aa]
// A fair before/after of one imaging stage on ../shared/eval/speed/: the inference code at --baseline
// (default HEAD, unpacked with `git archive` into apps/inference/.ab/<commit>/src, git-ignored) against
// the working tree, each loaded in a process of its own that stays up; the two are called in turn,
// photo by photo (the order swapped every call), so drift hits both alike. Both see the same inputs:
// each photo decoded, and the service's own mask (the working tree's service over gRPC, cached under
// dist/service-masks: service-masks.ts).
//   decontaminate: decontaminateBox on one thread (foreground-estimation.ts);
//   encode: composeAndEncode with the default options (decontamination on its threads, compose, PNG).
// Why processes: two copies of the same code loaded side by side in one process are not timed alike.
// An A/A run of that method (the same code twice) favoured the copy imported first by 6-14 ms per
// photo (2026-12-01), as much as the changes it was used to judge. --aa runs the working tree against
// itself: this tool's own noise.
// Prints per photo the median over rounds of the paired difference (after − before, ms), and their median.
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { wholeNumberArg } from './bench-stats';
import type { Plane } from './eval-data';
import { serviceMasks } from './service-masks';
// Nothing of the inference code's imaging is imported here (service-masks.ts reaches the service over
// gRPC): a timing process loads only the copy it times (a second copy loaded beside it, even unused,
// made the timed one ~10 ms slower per photo).

/** The inference code's modules as a timing process loads them from a code folder (the working tree's or a baseline's). */
interface StageModules {
  preprocess: typeof import('../src/imaging/preprocess');
  estimation: typeof import('../src/imaging/foreground-estimation');
  compose: typeof import('../src/imaging/compose-output');
  options: typeof import('../src/imaging/remove-options');
  workers: typeof import('../src/imaging/imaging-workers');
}

/** The modules under `root` (require: a baseline folder is not known before run time). */
function modulesUnder(root: string): StageModules {
  const load = (name: string) => require(join(root, 'imaging', name)) as unknown;
  return {
    preprocess: load('preprocess') as StageModules['preprocess'],
    estimation: load('foreground-estimation') as StageModules['estimation'],
    compose: load('compose-output') as StageModules['compose'],
    options: load('remove-options') as StageModules['options'],
    workers: load('imaging-workers') as StageModules['workers'],
  };
}

const REPO = resolve(__dirname, '..', '..', '..');
const WORKING_TREE = resolve(__dirname, '..', 'src');
const STAGES = ['decontaminate', 'encode'] as const;
type StageName = (typeof STAGES)[number];

const { values: args } = parseArgs({
  options: {
    baseline: { type: 'string', default: 'HEAD' },
    stage: { type: 'string', default: 'decontaminate' },
    rounds: { type: 'string', default: '12' },
    model: { type: 'string', default: 'medium' },
    images: { type: 'string', default: join(REPO, '..', 'shared', 'eval', 'speed') },
    limit: { type: 'string' },
    /** The working tree against itself: the tool's own noise. */
    aa: { type: 'boolean', default: false },
    /** Instead of --baseline: a folder holding an apps/inference/src tree to time as "before". */
    'baseline-dir': { type: 'string' },
    /** Internal: run one timing process on the code under this folder. */
    child: { type: 'string' },
  },
});
if (!(STAGES as readonly string[]).includes(args.stage)) throw new Error(`--stage must be ${STAGES.join(' or ')}; got ${args.stage}`);
const stage = args.stage as StageName;
const med = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

function photoNames(): string[] {
  const names = readdirSync(args.images)
    .filter((f) => /\.(jpe?g|png|webp)$/i.test(f))
    .sort();
  return args.limit ? names.slice(0, wholeNumberArg('--limit', args.limit)) : names;
}

/** One timing process on the code under `root`: answers each message (a photo's index) with the ms one call of the stage took. */
async function child(root: string): Promise<void> {
  const m = modulesUnder(root);
  const limits = { maxBytes: 1e9, maxPixels: 1e9 };
  const masks = await serviceMasks(
    photoNames().map((name) => join(args.images, name)),
    args.model,
  );
  const photos: { rgb: { data: Buffer; width: number; height: number }; alpha: Uint8Array; width: number; height: number }[] = [];
  for (const name of photoNames()) {
    const bytes = readFileSync(join(args.images, name));
    const probe = await m.preprocess.probeImage(bytes, limits);
    const rgb = await m.preprocess.decodeRgb(bytes, probe, limits);
    const alpha = new Uint8Array((masks.get(join(args.images, name)) as Plane).data);
    photos.push({ rgb, alpha, width: probe.outWidth, height: probe.outHeight });
  }
  const options = m.options.parseRemoveOptions(undefined);
  if (stage === 'encode') await m.workers.warmImagingWorkers();
  const run = async (p: (typeof photos)[number]): Promise<unknown> =>
    stage === 'decontaminate'
      ? m.estimation.decontaminateBox(p.rgb.data, p.alpha, p.width, p.height, { left: 0, top: 0, width: p.width, height: p.height })
      : m.compose.composeAndEncode(p.alpha, p.width, p.height, p.rgb, options);
  process.on('message', (index: number) => {
    if (index < 0) {
      void m.workers.stopImagingWorkers().then(() => process.exit(0));
      return;
    }
    const started = performance.now();
    void run(photos[index]).then(() => process.send?.(performance.now() - started));
  });
  process.send?.('ready');
}

/** The inference code at `rev`, unpacked once into apps/inference/.ab/<commit>/src. */
function baselineRoot(rev: string): string {
  const commit = execFileSync('git', ['rev-parse', '--verify', `${rev}^{commit}`], { cwd: REPO, encoding: 'utf8' }).trim();
  const folder = join(REPO, 'apps', 'inference', '.ab', commit);
  const root = join(folder, 'src');
  if (existsSync(root)) return root;
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const archive = execFileSync('git', ['archive', commit, 'apps/inference/src'], { cwd: REPO, maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '--strip-components=3', '-C', root], { input: archive });
  return root;
}

/** A timing process on the code under `root`, once it has loaded its photos. */
async function startTimer(root: string): Promise<{ time(index: number): Promise<number>; stop(): void }> {
  const forwarded = ['--child', root, '--stage', stage, '--model', args.model, '--images', args.images];
  if (args.limit) forwarded.push('--limit', args.limit);
  const proc: ChildProcess = fork(join(__dirname, 'ab-stage.ts'), forwarded, { cwd: REPO, execArgv: ['-r', '@swc-node/register'] });
  const next = () =>
    new Promise<unknown>((resolveMessage, reject) => {
      const onExit = (code: number | null) => reject(new Error(`timing process exited (${code})`));
      proc.once('exit', onExit);
      proc.once('message', (message) => {
        proc.off('exit', onExit);
        resolveMessage(message);
      });
    });
  await next();
  return {
    time: async (index) => {
      const answer = next();
      proc.send(index);
      return (await answer) as number;
    },
    stop: () => {
      if (proc.connected) proc.send(-1);
    },
  };
}

async function main(): Promise<void> {
  if (args.child) return child(args.child);
  const photos = photoNames();
  const rounds = wholeNumberArg('--rounds', args.rounds);
  await serviceMasks(
    photos.map((name) => join(args.images, name)),
    args.model,
  );
  const names = args.aa ? ['working tree (A)', 'working tree (B)'] : [`before (${args.baseline})`, 'after (working tree)'];
  const before = args.aa ? WORKING_TREE : args['baseline-dir'] ? resolve(args['baseline-dir']) : baselineRoot(args.baseline);
  const timers = await Promise.all([startTimer(before), startTimer(WORKING_TREE)]);
  console.log(`ab-stage: ${stage}, ${photos.length} photos, ${rounds} rounds (+2 untimed), ${names[0]} vs ${names[1]}`);
  const times = photos.map(() => ({ before: [] as number[], after: [] as number[], paired: [] as number[] }));
  try {
    for (let r = 0; r < rounds + 2; r++)
      for (const [i, t] of times.entries()) {
        // Who goes first alternates call by call.
        const beforeFirst = (r + i) % 2 === 0;
        const first = await timers[beforeFirst ? 0 : 1].time(i);
        const second = await timers[beforeFirst ? 1 : 0].time(i);
        if (r < 2) continue;
        const [before, after] = beforeFirst ? [first, second] : [second, first];
        t.before.push(before);
        t.after.push(after);
        t.paired.push(after - before);
      }
  } finally {
    for (const timer of timers) timer.stop();
  }
  for (const [i, t] of times.entries())
    console.log(
      `  ${photos[i].padEnd(22)} before ${med(t.before).toFixed(1)} ms  after ${med(t.after).toFixed(1)} ms  paired (after − before) ${med(t.paired).toFixed(1)} ms`,
    );
  const diffs = times.map((t) => med(t.paired));
  console.log(
    `median over the photos of the paired differences: ${med(diffs).toFixed(1)} ms (min ${Math.min(...diffs).toFixed(1)}, max ${Math.max(...diffs).toFixed(1)})`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
