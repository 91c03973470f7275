import type { ApiConfig } from '../../config/api.config';
import { QUARTERS_PER_CREDIT, quartersToCredits } from '../../credits/credit-amounts';
import type { JobOptions } from '../entities/job.entity';
import type { PricesOutput } from './prices.output';

/** The largest result charged the preview price: 0.25 megapixels (size PREVIEW's cap). */
export const PREVIEW_MAX_PIXELS = 250_000;

/** What a job costs, in quarter-credits, by the size of its result. */
export interface PriceTable {
  /** A result of at most PREVIEW_MAX_PIXELS. */
  previewQuarters: number;
  /** Any larger result. */
  fullQuarters: number;
}

export function priceTableOf(config: Pick<ApiConfig, 'PRICE_PREVIEW_CREDITS' | 'PRICE_FULL_CREDITS'>): PriceTable {
  return {
    previewQuarters: Math.round(config.PRICE_PREVIEW_CREDITS * QUARTERS_PER_CREDIT),
    fullQuarters: Math.round(config.PRICE_FULL_CREDITS * QUARTERS_PER_CREDIT),
  };
}

/**
 * The pixels of a job's result, decided at submit: the smaller of the input's pixels and the
 * requested cap (`preview`: 0.25 MP; a number: that many megapixels; `full`: no cap). The
 * inference service never upscales, so this is an upper bound of what it returns.
 */
export function resultPixels(input: { width: number; height: number }, size: JobOptions['size']): number {
  const pixels = input.width * input.height;
  if (size === 'full') return pixels;
  const cap = size === 'preview' ? PREVIEW_MAX_PIXELS : Math.max(1, Math.round(size * 1e6));
  return Math.min(pixels, cap);
}

/** The table as the `prices` query shows it, in credits. */
export function toPricesOutput(prices: PriceTable): PricesOutput {
  return {
    preview: quartersToCredits(prices.previewQuarters),
    full: quartersToCredits(prices.fullQuarters),
    previewMaxMegapixels: PREVIEW_MAX_PIXELS / 1e6,
  };
}

/** The job's price in quarter-credits: preview up to 0.25 MP of result, full above. */
export function jobPriceQuarters(prices: PriceTable, input: { width: number; height: number }, size: JobOptions['size']): number {
  return resultPixels(input, size) <= PREVIEW_MAX_PIXELS ? prices.previewQuarters : prices.fullQuarters;
}
