import type { ApiConfig } from '../../config/api.config';
import { QUARTERS_PER_CREDIT, quartersToCredits } from '../../credits/credit-amounts';
import type { JobOptions } from '../entities/job.entity';
import type { PricesOutput } from './prices.output';

/** The largest result charged the preview price: 0.25 megapixels (size PREVIEW's cap). */
export const PREVIEW_MAX_PIXELS = 250_000;

/** Mode HIGH costs this many times the STANDARD price (of the same result size). */
export const HIGH_MODE_MULTIPLIER = 2;

/** What a STANDARD job costs, in quarter-credits, by the size of its result (HIGH: HIGH_MODE_MULTIPLIER times). */
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
    highMultiplier: HIGH_MODE_MULTIPLIER,
  };
}

/**
 * The one pricing rule (what submit charges, and so what a refund gives back), in quarter-credits:
 * preview up to 0.25 MP of result, full above; mode HIGH costs HIGH_MODE_MULTIPLIER times that.
 */
export function jobPriceQuarters(
  prices: PriceTable,
  input: { width: number; height: number },
  options: Pick<JobOptions, 'size' | 'mode'>,
): number {
  const standard = resultPixels(input, options.size) <= PREVIEW_MAX_PIXELS ? prices.previewQuarters : prices.fullQuarters;
  return options.mode === 'high' ? standard * HIGH_MODE_MULTIPLIER : standard;
}
