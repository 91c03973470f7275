// npm run bench -- [--json] [--device cpu|cuda] [--model medium] [--concurrency 4] [--rounds 4] [--memory-requests 300] [--no-peer]
// Side by side on ../shared/eval/speed/: (a) the model's raw session.run, (b) the peer's
// removeBackground() on the same model, (c) this service over real gRPC on loopback,
// sequential and with N concurrent clients; then the service's resident memory after 30
// and after --memory-requests sequential requests.
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createOnnxSession, ort } from '../src/engine/onnx-session';
import { decodeModelInput } from '../src/imaging/preprocess';
import { loadManifests } from '../src/models/model-manifest';
import { ensureModelFile } from '../src/models/model-assembler';
import { startTestServer, type TestServer } from '../src/testing/test-server';
import type { Timings } from '@cutout/inference-contract';
import { fmtStats, runConcurrent, stats, type Stats } from './bench-stats';
import { peerRemoveBackground } from './peer.adapter';

const REPO = resolve(__dirname, '..', '..', '..');
const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    device: { type: 'string', default: 'cpu' },
    model: { type: 'string', default: 'medium' },
    images: { type: 'string', default: join(REPO, '..', 'shared', 'eval', 'speed') },
    concurrency: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '4' },
    'memory-requests': { type: 'string', default: '300' },
    'no-peer': { type: 'boolean', default: false },
  },
});
const log = (line: string) => (args.json ? process.stderr : process.stdout).write(`${line}\n`);
const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;

async function rawModel(images: Buffer[], device: 'cpu' | 'cuda'): Promise<Stats> {
  const modelsDir = join(REPO, 'models');
  const manifest = loadManifests(modelsDir).find((m) => m.id === args.model);
  if (!manifest) throw new Error(`unknown model ${args.model}`);
  const { path } = await ensureModelFile(modelsDir, manifest);
  const { session, provider } = await createOnnxSession(path, { provider: device, threads: availableParallelism() }, { warn: (o, m) => log(`warning: ${m} ${JSON.stringify(o)}`) });
  log(`(a) raw model: ${args.model} on ${provider}, ${availableParallelism()} threads`);
  const limits = { maxBytes: 1e9, maxPixels: 1e9 };
  const tensors = await Promise.all(images.map((img) => decodeModelInput(img, limits, manifest)));
  const shape = [1, 3, manifest.input.height, manifest.input.width];
  await session.run({ [manifest.input.name]: new ort.Tensor('float32', tensors[0], shape) }, [manifest.output.name]);
  const samples: number[] = [];
  for (const t of tensors) {
    const started = performance.now();
    const out = await session.run({ [manifest.input.name]: new ort.Tensor('float32', t, shape) }, [manifest.output.name]);
    samples.push(performance.now() - started);
    out[manifest.output.name].dispose();
  }
  await session.release();
  return stats(samples);
}

async function main(): Promise<void> {
  const device = args.device === 'cuda' ? 'cuda' : 'cpu';
  const concurrency = Number(args.concurrency);
  const files = readdirSync(args.images).filter((f) => /\.(jpe?g|png|webp)$/i.test(f)).sort();
  const images = files.map((f) => readFileSync(join(args.images, f)));
  log(`bench: ${images.length} photos from ${args.images} (${(images.reduce((s, b) => s + b.length, 0) / 1e6).toFixed(1)} MB), model ${args.model}, device ${device}, ${availableParallelism()} cores`);

  const raw = await rawModel(images, device);
  log(`(a) raw session.run           ${fmtStats(raw)}`);

  let peer: { sequential: Stats; imagesPerSec: number } | undefined;
  if (!args['no-peer']) {
    await peerRemoveBackground(images[0], args.model as 'medium'); // loads the peer's session
    const seq = await runConcurrent(images, 1, (img) => peerRemoveBackground(img, args.model as 'medium'));
    peer = { sequential: stats(seq.latencies), imagesPerSec: (images.length * 1000) / seq.wallMs };
    log(`(b) peer removeBackground()   ${fmtStats(peer.sequential)}  ${peer.imagesPerSec.toFixed(3)} images/s`);
  }

  const server: TestServer = await startTestServer({ MODELS_DIR: join(REPO, 'models'), INFERENCE_PRELOAD: args.model, INFERENCE_DEFAULT_MODEL: args.model, INFERENCE_PROVIDER: device, INFERENCE_THREADS: '' });
  try {
    const call = (img: Buffer) => server.client.removeBackground({ image: img, options: {} });
    await call(images[0]);
    const stages: Timings[] = [];
    const seq = await runConcurrent(images, 1, async (img) => stages.push((await call(img)).timings));
    const sequential = stats(seq.latencies);
    log(`(c) service, sequential       ${fmtStats(sequential)}  ${((images.length * 1000) / seq.wallMs).toFixed(3)} images/s`);
    const stageMedians = Object.fromEntries((['decodeMs', 'queueMs', 'inferenceMs', 'refineMs', 'encodeMs', 'totalMs'] as const).map((k) => [k, Math.round(stats(stages.map((t) => t[k])).medianMs)]));
    log(`    server-side stage medians: ${JSON.stringify(stageMedians)} (refineMs includes the mask upscale)`);
    const batch = Array.from({ length: Number(args.rounds) }, () => images).flat();
    const conc = await runConcurrent(batch, concurrency, call);
    const serviceImagesPerSec = (batch.length * 1000) / conc.wallMs;
    log(`(c) service, ${concurrency} clients        ${fmtStats(stats(conc.latencies))}  ${serviceImagesPerSec.toFixed(3)} images/s`);

    const memoryRequests = Number(args['memory-requests']);
    let rss30 = 0;
    let rssN = 0;
    for (let i = 1; i <= memoryRequests; i++) {
      await call(images[i % images.length]);
      if (i === 30) rss30 = rssOf(server.process.pid as number);
      if (i === memoryRequests) rssN = rssOf(server.process.pid as number);
      if (i % 50 === 0) log(`    memory: ${i} requests, RSS ${(rssOf(server.process.pid as number) / 2 ** 20).toFixed(0)} MiB`);
    }
    const rssGrowth = rss30 ? (rssN - rss30) / rss30 : 0;
    log(`(c) service RSS after 30 requests ${(rss30 / 2 ** 20).toFixed(0)} MiB, after ${memoryRequests}: ${(rssN / 2 ** 20).toFixed(0)} MiB (growth ${(rssGrowth * 100).toFixed(1)} %, target < 10 %)`);

    const throughputRatio = peer ? serviceImagesPerSec / peer.imagesPerSec : null;
    const overheadRatio = sequential.medianMs / raw.medianMs;
    log(`throughput service/peer ${throughputRatio?.toFixed(2) ?? 'n/a'} (target >= 2.0); service latency / raw model ${overheadRatio.toFixed(3)} (target <= 1.15)`);
    if (args.json)
      console.log(
        JSON.stringify({
          device,
          model: args.model,
          images: images.length,
          cores: availableParallelism(),
          rawModelMs: raw.medianMs,
          rawModelP95Ms: raw.p95Ms,
          peerMs: peer?.sequential.medianMs ?? null,
          peerP95Ms: peer?.sequential.p95Ms ?? null,
          peerImagesPerSec: peer?.imagesPerSec ?? null,
          serviceMs: sequential.medianMs,
          serviceP95Ms: sequential.p95Ms,
          serviceStageMedians: stageMedians,
          serviceConcurrentMs: stats(conc.latencies).medianMs,
          serviceImagesPerSec,
          concurrency,
          throughputRatio,
          overheadRatio,
          rss30,
          rssN,
          memoryRequests,
          rssGrowth,
        }),
      );
  } finally {
    await server.close();
  }
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
