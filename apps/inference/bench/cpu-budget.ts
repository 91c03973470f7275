// npm run bench:cpu -- [--runs 3] [--model medium] [--limit N] [--json]
// What the work around the model costs in CPU time, stage by stage, on ../shared/eval/speed/: the
// service's default path (INFERENCE_* defaults from its config: the full decode and the model
// input's resampling, the model, the mask upscale, decontamination + compose + PNG) run in this
// process, each stage timed by the wall clock and by process.cpuUsage() (every thread of the
// process: the imaging workers, the thread pool's deflate, sharp's threads, ONNX Runtime's).
// Wall time can shrink by spreading a stage over idle cores; CPU time cannot, so the CPU around the
// model divided by the cores is the least the service can add to the model's time here, however
// well its stages overlap (the gRPC transfer comes on top). Encode is also timed with
// decontamination off (what the colour estimate costs). Figures per photo are the median of --runs
// rounds; the headline is the median over the photos, with the photos' min and max.
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { loadInferenceConfig } from '../src/config/inference.config';
import { ort, sessionOptions } from '../src/engine/onnx-session';
import { largeBuffers } from '../src/imaging/buffer-pool';
import { composeAndEncode } from '../src/imaging/compose-output';
import { modelInputParallel, resizeMaskParallel, stopImagingWorkers, warmImagingWorkers } from '../src/imaging/imaging-workers';
import { outputToAlpha } from '../src/imaging/mask';
import { decodeRgb, probeImage } from '../src/imaging/preprocess';
import { parseRemoveOptions } from '../src/imaging/remove-options';
import { ensureModelFile } from '../src/models/model-assembler';
import { loadManifests } from '../src/models/model-manifest';
import { pooledModelInput } from '../src/pipeline/remove-background.service';
import { REPO_MODELS_DIR } from '../src/testing/test-server';
import { spread, wholeNumberArg, type Spread } from './bench-stats';

const REPO = resolve(__dirname, '..', '..', '..');
const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    model: { type: 'string', default: 'medium' },
    images: { type: 'string', default: join(REPO, '..', 'shared', 'eval', 'speed') },
    runs: { type: 'string', default: '3' },
    limit: { type: 'string' },
  },
});
const log = (line: string) => (args.json ? process.stderr : process.stdout).write(`${line}\n`);

/** The stages, in the service's order; `model` is the one the others are measured around. */
const STAGES = ['decode', 'model', 'upscale', 'encode', 'encodePlain'] as const;
type StageName = (typeof STAGES)[number];
const AROUND: StageName[] = ['decode', 'upscale', 'encode'];
const LABELS: Record<StageName, string> = {
  decode: 'decode + model input',
  model: 'model (session.run)',
  upscale: 'mask + upscale',
  encode: 'decontaminate + compose + PNG',
  encodePlain: '  the same, decontaminate: false',
};

interface Sample {
  wallMs: number;
  cpuMs: number;
}

/** Runs `work` and reports its wall time and the CPU time every thread of this process spent meanwhile. */
async function measured<T>(work: () => Promise<T>): Promise<{ value: T; sample: Sample }> {
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const value = await work();
  const wallMs = performance.now() - wall0;
  const cpu = process.cpuUsage(cpu0);
  return { value, sample: { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 } };
}

const median = (values: number[]) => spread(values).median;

async function main(): Promise<void> {
  const runs = wholeNumberArg('runs', args.runs);
  // The service's defaults (no INFERENCE_* set here): imaging threads, resize kernel, PNG level, sharp.
  const config = loadInferenceConfig({ MODELS_DIR: REPO_MODELS_DIR });
  if (config.resizeKernel !== 'asymmetric')
    throw new Error(`the default resize kernel changed (${config.resizeKernel}): update this bench`);
  sharp.concurrency(config.sharpThreads);
  sharp.cache(false);
  const manifest = loadManifests(config.modelsDir).find((m) => m.id === args.model);
  if (!manifest) throw new Error(`unknown model ${args.model}`);
  const { path } = await ensureModelFile(config.modelsDir, manifest);
  const session = await ort.InferenceSession.create(path, sessionOptions('cpu', config.threads));
  await warmImagingWorkers(config.imagingThreads);
  const limit = args.limit === undefined ? undefined : wholeNumberArg('limit', args.limit);
  const files = readdirSync(args.images)
    .filter((f) => /\.(jpe?g|png|webp)$/i.test(f))
    .sort()
    .slice(0, limit);
  if (files.length === 0) throw new Error(`no photos in ${args.images}`);
  const cores = availableParallelism();
  log(
    `model ${manifest.id} on the CPU, ${config.threads} ORT threads; ${config.imagingThreads} imaging threads; PNG level ${config.pngCompression}; ${cores} cores; ${runs} rounds`,
  );
  const shape = [1, 3, manifest.input.height, manifest.input.width];
  const options = parseRemoveOptions(undefined);
  const plain = parseRemoveOptions({ noDecontaminate: true } as Parameters<typeof parseRemoveOptions>[0]);

  /** One photo through the default path, every stage measured. */
  const once = async (bytes: Buffer): Promise<Record<StageName, Sample>> => {
    const probe = await probeImage(bytes, config);
    const [width, height] = [probe.outWidth, probe.outHeight];
    const decode = await measured(async () => {
      const rgb = await decodeRgb(bytes, probe, config);
      // The model input's memory from the buffer pool, as the service takes it (fresh pages cost their faults).
      return { rgb, input: await modelInputParallel(rgb, manifest.input, pooledModelInput(manifest), config.imagingThreads) };
    });
    const model = await measured(() =>
      session.run({ [manifest.input.name]: new ort.Tensor('float32', decode.value.input, shape) }, [manifest.output.name]),
    );
    largeBuffers.release(decode.value.input.buffer as ArrayBuffer);
    const output = model.value[manifest.output.name];
    const upscale = await measured(() => {
      const alpha = outputToAlpha(output.data as Float32Array, manifest.output.activation);
      return resizeMaskParallel(alpha, manifest.input.width, manifest.input.height, width, height, 'asymmetric', config.imagingThreads);
    });
    output.dispose();
    const hooks = { imagingThreads: config.imagingThreads };
    const rgb = decode.value.rgb;
    const encode = await measured(() => composeAndEncode(upscale.value, width, height, rgb, options, config.pngCompression, hooks));
    const encodePlain = await measured(() => composeAndEncode(upscale.value, width, height, rgb, plain, config.pngCompression, hooks));
    return { decode: decode.sample, model: model.sample, upscale: upscale.sample, encode: encode.sample, encodePlain: encodePlain.sample };
  };

  const photos = files.map((f) => ({ name: f, bytes: readFileSync(join(args.images, f)) }));
  await once(photos[0].bytes); // warm-up: code paths compiled, pools filled
  const samples = new Map<string, Record<StageName, Sample>[]>(photos.map((p) => [p.name, []]));
  for (let round = 0; round < runs; round++) for (const p of photos) samples.get(p.name)?.push(await once(p.bytes));

  // Per photo: each stage's median wall and CPU over the rounds.
  const perPhoto = photos.map((p) => {
    const rounds = samples.get(p.name) ?? [];
    const stage = (s: StageName) => ({
      wallMs: median(rounds.map((r) => r[s].wallMs)),
      cpuMs: median(rounds.map((r) => r[s].cpuMs)),
    });
    const stages = Object.fromEntries(STAGES.map((s) => [s, stage(s)])) as Record<StageName, Sample>;
    const around = (key: keyof Sample) => median(rounds.map((r) => AROUND.reduce((sum, s) => sum + r[s][key], 0)));
    return { name: p.name, stages, aroundWallMs: around('wallMs'), aroundCpuMs: around('cpuMs') };
  });
  for (const p of perPhoto)
    log(
      `${p.name.padEnd(22)} ${STAGES.map((s) => `${s} ${p.stages[s].wallMs.toFixed(0)}/${p.stages[s].cpuMs.toFixed(0)}`).join('  ')}  around the model ${p.aroundWallMs.toFixed(0)}/${p.aroundCpuMs.toFixed(0)} ms (wall/CPU)`,
    );
  const fmt = (s: Spread) => `${s.median.toFixed(0)} ms (photos ${s.min.toFixed(0)} – ${s.max.toFixed(0)})`;
  log('\nmedian over the photos (each photo: median of its rounds), wall / CPU:');
  for (const s of STAGES)
    log(
      `  ${LABELS[s].padEnd(34)} wall ${fmt(spread(perPhoto.map((p) => p.stages[s].wallMs)))}   CPU ${fmt(spread(perPhoto.map((p) => p.stages[s].cpuMs)))}`,
    );
  const wall = spread(perPhoto.map((p) => p.aroundWallMs));
  const cpu = spread(perPhoto.map((p) => p.aroundCpuMs));
  const floor = spread(perPhoto.map((p) => p.aroundCpuMs / cores));
  log(`  ${'around the model (decode, upscale, encode)'.padEnd(34)} wall ${fmt(wall)}   CPU ${fmt(cpu)}`);
  log(
    `  CPU around the model / ${cores} cores: ${fmt(floor)}: the least the service can add to the model here, before the gRPC transfer (target: latency − raw <= 150 ms)`,
  );
  if (args.json)
    console.log(
      JSON.stringify({ cores, runs, imagingThreads: config.imagingThreads, pngLevel: config.pngCompression, perPhoto, wall, cpu, floor }),
    );
  await stopImagingWorkers();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
