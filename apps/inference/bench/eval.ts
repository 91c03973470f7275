// npm run eval -- --images <dir> --masks <dir> [--model medium|small] [--refine] [--json] [--no-peer]
// Quality of this service (over real gRPC) and of @imgly/background-removal-node (the peer)
// on a folder of images with human-made masks matched by name (see ../shared/eval/README.md).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { scoreAlpha, summarise, type ImageScores, type SetScores } from '../src/evaluation/eval-metrics';
import { startTestServer } from '../src/testing/test-server';
import { peerRemoveBackground } from './peer.adapter';

const REPO = resolve(__dirname, '..', '..', '..');

const { values: args } = parseArgs({
  options: {
    images: { type: 'string', default: join(REPO, '..', 'shared', 'eval', 'images') },
    masks: { type: 'string', default: join(REPO, '..', 'shared', 'eval', 'masks') },
    model: { type: 'string', default: 'medium' },
    refine: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    'no-peer': { type: 'boolean', default: false },
    limit: { type: 'string' },
  },
});

const IMAGE_EXT = new Set(['.png', '.jpg', '.jpeg', '.webp', '.tif', '.tiff', '.bmp', '.avif']);
const stem = (f: string) => basename(f, extname(f));

/** Pairs image and mask files by name without extension. */
function pairs(imagesDir: string, masksDir: string): { name: string; image: string; mask: string }[] {
  const masks = new Map(readdirSync(masksDir).filter((f) => IMAGE_EXT.has(extname(f).toLowerCase())).map((f) => [stem(f), join(masksDir, f)]));
  return readdirSync(imagesDir)
    .filter((f) => IMAGE_EXT.has(extname(f).toLowerCase()) && masks.has(stem(f)))
    .sort()
    .map((f) => ({ name: stem(f), image: join(imagesDir, f), mask: masks.get(stem(f)) as string }));
}

async function greyOf(encoded: Buffer, width: number, height: number, channel: 'alpha' | 'grey'): Promise<Uint8Array> {
  let img = sharp(encoded);
  img = channel === 'alpha' ? img.ensureAlpha().extractChannel(3) : img.greyscale();
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  if (info.width !== width || info.height !== height) {
    return sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } }).resize(width, height, { fit: 'fill' }).raw().toBuffer();
  }
  return data;
}

const fmt = (s: SetScores) => `n=${String(s.n).padStart(3)}  IoU ${s.iou.toFixed(3)}  MAE ${s.mae.toFixed(3)}  boundary F ${s.boundaryF.toFixed(3)}`;

async function main(): Promise<void> {
  if (!existsSync(args.images) || !existsSync(args.masks)) throw new Error(`no such folders: ${args.images}, ${args.masks}`);
  const model = args.model as 'medium' | 'small';
  let list = pairs(args.images, args.masks);
  if (args.limit) list = list.slice(0, Number(args.limit));
  if (list.length === 0) throw new Error('no image/mask pairs matched by name');
  const log = (line: string) => (args.json ? process.stderr : process.stdout).write(`${line}\n`);
  log(`eval: ${list.length} images, model ${model}, refine ${args.refine}`);

  const server = await startTestServer({ MODELS_DIR: join(REPO, 'models'), INFERENCE_PRELOAD: model, INFERENCE_DEFAULT_MODEL: model, INFERENCE_THREADS: '' });
  const ours: { name: string; scores: ImageScores }[] = [];
  const peer: { name: string; scores: ImageScores }[] = [];
  try {
    for (const item of list) {
      const image = readFileSync(item.image);
      const { data: mask, info } = await sharp(readFileSync(item.mask)).greyscale().raw().toBuffer({ resolveWithObject: true });
      const result = await server.client.removeBackground({ image, modelId: model, options: { type: 'mask', refine: args.refine } });
      const s = scoreAlpha(await greyOf(result.image, info.width, info.height, 'grey'), mask, info.width, info.height);
      ours.push({ name: item.name, scores: s });
      let line = `${item.name.padEnd(16)} service IoU ${s.iou.toFixed(3)} MAE ${s.mae.toFixed(3)} F ${s.boundaryF.toFixed(3)}`;
      if (!args['no-peer']) {
        const p = scoreAlpha(await greyOf(await peerRemoveBackground(image, model), info.width, info.height, 'alpha'), mask, info.width, info.height);
        peer.push({ name: item.name, scores: p });
        line += `   peer IoU ${p.iou.toFixed(3)} MAE ${p.mae.toFixed(3)} F ${p.boundaryF.toFixed(3)}`;
      }
      log(line);
    }
  } finally {
    await server.close();
  }
  const summary = summarise(ours);
  const peerSummary = peer.length ? summarise(peer) : undefined;
  log(`\nmodel ${model}, refine ${args.refine}`);
  for (const [set, s] of Object.entries(summary.sets)) log(`service  ${set.padEnd(8)} ${fmt(s)}${peerSummary ? `   | peer ${fmt(peerSummary.sets[set])}` : ''}`);
  log(`service  overall  ${fmt(summary.overall)}${peerSummary ? `   | peer ${fmt(peerSummary.overall)}` : ''}`);
  if (args.json) console.log(JSON.stringify({ model, refine: args.refine, ...summary, peer: peerSummary ?? null }));
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
