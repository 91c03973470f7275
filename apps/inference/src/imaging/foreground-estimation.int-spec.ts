import sharp from 'sharp';
import { startTestServer, type TestServer } from '../testing/test-server';

/**
 * Over real gRPC with the tiny model (bright pixels are foreground): a light orange square whose
 * edge is blurred into a dark blue background, so the mask's soft band holds mixed colours.
 */
const SUBJECT = [250, 200, 120];
const BACKGROUND = [10, 20, 90];

async function aSoftEdgedSubject(): Promise<Buffer> {
  const square = await sharp({
    create: { width: 60, height: 60, channels: 3, background: { r: SUBJECT[0], g: SUBJECT[1], b: SUBJECT[2] } },
  })
    .png()
    .toBuffer();
  const sharpEdged = await sharp({
    create: { width: 160, height: 120, channels: 3, background: { r: BACKGROUND[0], g: BACKGROUND[1], b: BACKGROUND[2] } },
  })
    .composite([{ input: square, left: 50, top: 30 }])
    .png()
    .toBuffer();
  return sharp(sharpEdged).blur(3).removeAlpha().png().toBuffer();
}

const rgba = async (png: Buffer) => (await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true })).data;

/** Mean distance of the band's colours (0 < α < 255) from the subject's colour, per channel. */
function bandDistanceFromSubject(pixels: Buffer): { distance: number; band: number } {
  let sum = 0;
  let band = 0;
  for (let k = 0; k < pixels.length; k += 4) {
    const a = pixels[k + 3];
    if (a === 0 || a === 255) continue;
    for (let c = 0; c < 3; c++) sum += Math.abs(pixels[k + c] - SUBJECT[c]);
    band++;
  }
  return { distance: sum / band / 3, band };
}

describe('colour decontamination over gRPC (tiny model)', () => {
  let t: TestServer;
  let image: Buffer;
  let input: Buffer;
  beforeAll(async () => {
    t = await startTestServer();
    image = await aSoftEdgedSubject();
    input = (await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true })).data;
  });
  afterAll(async () => {
    expect(await t.close()).toBe(0);
  });

  it('gives a cut-out foreground colours at its soft edge by default, and the mixed colours with decontaminate: false', async () => {
    const [byDefault, off] = await Promise.all([
      t.client.removeBackground({ image }),
      t.client.removeBackground({ image, options: { decontaminate: false } }),
    ]);
    const on = await rgba(byDefault.image);
    const kept = await rgba(off.image);
    expect([...on.filter((_, k) => k % 4 === 3)]).toEqual([...kept.filter((_, k) => k % 4 === 3)]);

    // Off: every visible pixel keeps the photo's colour, mixed with the background at the edge.
    let differs = 0;
    for (let i = 0; i < input.length / 3; i++) {
      if (kept[i * 4 + 3] === 0) continue;
      for (let c = 0; c < 3; c++) expect(kept[i * 4 + c]).toBe(input[i * 3 + c]);
      // On: opaque pixels unchanged too; partly transparent ones get new colours.
      if (on[i * 4 + 3] === 255) for (let c = 0; c < 3; c++) expect(on[i * 4 + c]).toBe(input[i * 3 + c]);
      else if ([0, 1, 2].some((c) => on[i * 4 + c] !== input[i * 3 + c])) differs++;
    }
    const mixed = bandDistanceFromSubject(kept);
    const clean = bandDistanceFromSubject(on);
    expect(mixed.band).toBeGreaterThan(100);
    expect(differs).toBeGreaterThan(mixed.band / 2);
    expect(clean.distance).toBeLessThan(mixed.distance * 0.5);
  });

  it('decontaminates a cut-out composited on bgColor, and leaves a mask as it was', async () => {
    const [onWhite, offWhite, mask] = await Promise.all([
      t.client.removeBackground({ image, options: { bgColor: '#ffffff', format: 'png' } }),
      t.client.removeBackground({ image, options: { bgColor: '#ffffff', format: 'png', decontaminate: false } }),
      t.client.removeBackground({ image, options: { type: 'mask' } }),
    ]);
    const a = (await sharp(onWhite.image).raw().toBuffer({ resolveWithObject: true })).data;
    const b = (await sharp(offWhite.image).raw().toBuffer({ resolveWithObject: true })).data;
    // Off, the blue background shows through the edge onto white; on, the edge is the subject's colour over white.
    let blueOn = 0;
    let blueOff = 0;
    for (let k = 0; k < a.length; k += 3) {
      blueOn += Math.max(0, a[k + 2] - a[k]);
      blueOff += Math.max(0, b[k + 2] - b[k]);
    }
    expect(blueOn).toBeLessThan(blueOff * 0.5);
    expect((await sharp(mask.image).metadata()).channels).toBe(1);
  });
});
