import sharp from 'sharp';
import type { StageName } from '@cutout/inference-contract';
import { aSquareImage, alphaOf } from '../testing/test-images';
import { startTestServer, type TestServer } from '../testing/test-server';

describe('mode: high over gRPC (tiny model)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    expect(await t.close()).toBe(0);
  });

  it('returns a cut-out of the same size whose alpha follows the subject, with its timings and honest progress', async () => {
    const image = await aSquareImage({ width: 300, height: 200, square: 50 });
    const events: [StageName, number][] = [];
    const result = await t.client.removeBackground(
      { image, options: { mode: 'high' } },
      { onProgress: (stage, fraction) => events.push([stage, fraction]) },
    );
    expect(result).toMatchObject({ mime: 'image/png', width: 300, height: 200, modelId: 'tiny' });
    const alpha = await alphaOf(result.image);
    expect(alpha.channels).toBe(4);
    expect(alpha.data[100 * 300 + 150]).toBeGreaterThan(240); // centre of the square
    expect(alpha.data[5 * 300 + 5]).toBeLessThan(15); // corner
    for (const key of ['decodeMs', 'inferenceMs', 'refineMs', 'encodeMs', 'totalMs'] as const)
      expect(result.timings[key]).toBeGreaterThan(0);
    expect(events.map(([s]) => s).filter((s, i, all) => s !== all[i - 1])).toEqual(['decoded', 'inference', 'refine', 'encoded']);
    expect(events.map(([, f]) => f)).toEqual([...events.map(([, f]) => f)].sort((a, b) => a - b));
    expect(events.at(-1)).toEqual(['encoded', 1]);
  });

  it('returns a one-channel mask of the same size, close to the standard mode on a clear subject', async () => {
    const image = await aSquareImage({ width: 240, height: 160, square: 40, format: 'jpeg' });
    const high = await t.client.removeBackground({ image, options: { type: 'mask', mode: 'high' } });
    const standard = await t.client.removeBackground({ image, options: { type: 'mask' } });
    expect([high.width, high.height]).toEqual([240, 160]);
    const meta = await sharp(high.image).metadata();
    expect([meta.width, meta.height, meta.channels]).toEqual([240, 160, 1]);
    expect(Math.abs(high.foregroundFraction - standard.foregroundFraction)).toBeLessThan(0.02);
    expect(high.timings.inferenceMs).toBeGreaterThan(0);
  });
});
