import { apiConfigSchema } from '../../config/api.config';
import { HIGH_MODE_MULTIPLIER, jobPriceQuarters, priceTableOf, resultPixels, toPricesOutput } from './job-prices';

describe('job prices', () => {
  const prices = priceTableOf({ PRICE_PREVIEW_CREDITS: 0.25, PRICE_FULL_CREDITS: 1 });

  it('sizes the result as the smaller of the input and the requested cap', () => {
    expect(resultPixels({ width: 4000, height: 3000 }, 'full')).toBe(12_000_000);
    expect(resultPixels({ width: 4000, height: 3000 }, 'preview')).toBe(250_000);
    expect(resultPixels({ width: 300, height: 200 }, 'preview')).toBe(60_000);
    expect(resultPixels({ width: 4000, height: 3000 }, 2)).toBe(2_000_000);
    expect(resultPixels({ width: 1000, height: 1000 }, 2)).toBe(1_000_000);
  });

  it('charges the preview price up to 0.25 MP of result and the full price above', () => {
    const cases: [width: number, height: number, size: 'preview' | 'full' | number, quarters: number][] = [
      [4000, 3000, 'preview', 1],
      [4000, 3000, 'full', 4],
      [4000, 3000, 0.25, 1],
      [4000, 3000, 0.2500004, 1], // a cap is whole pixels (as the inference service rounds it): 250 000
      [4000, 3000, 0.2500006, 4], // 250 001 pixels
      [500, 500, 'full', 1], // exactly 0.25 MP
      [501, 500, 'full', 4],
      [640, 480, 0.5, 4],
      [64, 64, 'full', 1],
    ];
    for (const [width, height, size, quarters] of cases)
      expect({ width, height, size, quarters: jobPriceQuarters(prices, { width, height }, { size, mode: 'standard' }) }).toEqual({
        width,
        height,
        size,
        quarters,
      });
  });

  it('charges mode HIGH twice the STANDARD price of the same result size', () => {
    const big = { width: 4000, height: 3000 };
    expect(jobPriceQuarters(prices, big, { size: 'full', mode: 'high' })).toBe(8);
    expect(jobPriceQuarters(prices, big, { size: 'preview', mode: 'high' })).toBe(2);
    expect(jobPriceQuarters(prices, big, { size: 'full', mode: 'standard' })).toBe(4);
    expect(HIGH_MODE_MULTIPLIER).toBe(2);
  });

  it('publishes the table in credits', () => {
    expect(toPricesOutput(prices)).toEqual({ preview: 0.25, full: 1, previewMaxMegapixels: 0.25, highMultiplier: 2 });
  });

  it('takes prices from the configuration: multiples of 0.25, defaults 0.25 and 1', () => {
    const parse = (env: Record<string, string>) => apiConfigSchema.safeParse(env);
    expect(parse({}).data).toMatchObject({ PRICE_PREVIEW_CREDITS: 0.25, PRICE_FULL_CREDITS: 1 });
    expect(priceTableOf(parse({ PRICE_PREVIEW_CREDITS: '0.5', PRICE_FULL_CREDITS: '2.75' }).data!)).toEqual({
      previewQuarters: 2,
      fullQuarters: 11,
    });
    for (const bad of ['0.3', '-1', 'one', '100000']) {
      const result = parse({ PRICE_FULL_CREDITS: bad });
      expect({ bad, ok: result.success, path: result.error?.issues[0].path }).toEqual({ bad, ok: false, path: ['PRICE_FULL_CREDITS'] });
    }
  });
});
