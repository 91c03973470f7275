import { join } from 'node:path';
import sharp from 'sharp';
import { alphaOf } from '../src/testing/test-images';
import { startTestServer, type TestServer } from '../src/testing/test-server';

const MODELS_DIR = join(__dirname, '..', '..', '..', 'models');

/** A photo-like scene: a shaded red ball with a highlight on a pale, slightly graded backdrop. */
async function aBallPhoto(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="600">
    <defs>
      <linearGradient id="bg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#f4f1ea"/><stop offset="1" stop-color="#d9d4c8"/></linearGradient>
      <radialGradient id="ball" cx="0.35" cy="0.35" r="0.75"><stop offset="0" stop-color="#ff9a8a"/><stop offset="0.4" stop-color="#d8202a"/><stop offset="1" stop-color="#5a0508"/></radialGradient>
    </defs>
    <rect width="900" height="600" fill="url(#bg)"/>
    <ellipse cx="450" cy="520" rx="170" ry="28" fill="#000" opacity="0.18"/>
    <circle cx="450" cy="330" r="190" fill="url(#ball)"/>
  </svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 92 }).toBuffer();
}

describe('RemoveBackground end to end with the real default model (IS-Net medium)', () => {
  let t: TestServer;
  beforeAll(async () => {
    // Same models folder as production: the weights are assembled (or verified) on load.
    t = await startTestServer({ MODELS_DIR, INFERENCE_PRELOAD: 'medium', INFERENCE_THREADS: '' });
  }, 180_000);
  afterAll(async () => {
    expect(await t.close()).toBe(0);
  });

  it('serves the default model and cuts the subject out of a photo', async () => {
    const { models, defaultModelId } = await t.client.listModels();
    expect(defaultModelId).toBe('medium');
    expect(models.find((m) => m.id === 'medium')).toMatchObject({ loaded: true, inputWidth: 1024, licence: 'AGPL-3.0' });

    const events: [string, number][] = [];
    const result = await t.client.removeBackground(
      { image: await aBallPhoto(), options: { refine: true } },
      { onProgress: (s, f) => events.push([s, f]) },
    );
    expect(events.map(([s]) => s).filter((s, i, all) => s !== all[i - 1])).toEqual(['decoded', 'inference', 'refine', 'encoded']);
    // Overall progress: never decreasing, several INFERENCE ticks while the model runs (about 2 s here, a tick per 250 ms), ending at 1.
    expect(events.map(([, f]) => f)).toEqual([...events.map(([, f]) => f)].sort((a, b) => a - b));
    expect(events.filter(([s]) => s === 'inference').length).toBeGreaterThanOrEqual(2);
    expect(events.at(-1)).toEqual(['encoded', 1]);
    expect(result).toMatchObject({ mime: 'image/png', width: 900, height: 600, modelId: 'medium' });
    const alpha = await alphaOf(result.image);
    expect(alpha.data[330 * 900 + 450]).toBeGreaterThan(200); // centre of the ball
    expect(alpha.data[20 * 900 + 20]).toBeLessThan(30); // backdrop corner
    expect(alpha.data[40 * 900 + 860]).toBeLessThan(30);
    // The ball covers pi * 190^2 / (900 * 600) = 21 % of the frame.
    expect(result.foregroundFraction).toBeGreaterThan(0.15);
    expect(result.foregroundFraction).toBeLessThan(0.3);
  });
});
