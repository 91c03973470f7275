import type { OutputFormat, OutputType, RemoveBackgroundOptionsInput } from '../graphql/generated/graphql';

/** The options form as typed (strings, as inputs hold them). */
export interface OptionsDraft {
  /** "PREVIEW", "FULL", or "CUSTOM" with `megapixels`. */
  size: 'PREVIEW' | 'FULL' | 'CUSTOM';
  megapixels: string;
  format: OutputFormat;
  type: OutputType;
  /** "" for transparent. */
  bgColor: string;
  crop: boolean;
  cropMargin: string;
  quality: string;
  refine: boolean;
  /** A model id from the `models` query; "" for the service's default. */
  model: string;
  /** Mode HIGH: the high-quality removal, `highMultiplier` (2) times the credits. */
  high: boolean;
  /** Clean edge colours (the API's `decontaminate`, default true); cut-outs only, not sent for a mask. */
  decontaminate: boolean;
}

export const defaultOptions: OptionsDraft = {
  size: 'FULL',
  megapixels: '4',
  format: 'PNG',
  type: 'CUTOUT',
  bgColor: '',
  crop: false,
  cropMargin: '',
  quality: '',
  refine: false,
  model: '',
  high: false,
  decontaminate: true,
};

export const COLOR_PRESETS: readonly { label: string; value: string }[] = [
  { label: 'Transparent', value: '' },
  { label: 'White', value: '#ffffff' },
  { label: 'Black', value: '#000000' },
  { label: 'Light grey', value: '#f0f0f0' },
  { label: 'Blue', value: '#2563eb' },
  { label: 'Green', value: '#16a34a' },
];

export type OptionsErrors = Partial<Record<keyof OptionsDraft, string>>;

/** The API's limits (libs/inference-contract remove-options.schema.ts; the spec runs its verdict table through this file). */
export const MAX_OUTPUT_MEGAPIXELS = 500;

const COLOR = /^#([0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;

/** Whether `text` is a colour code the API takes (#rgb, #rgba, #rrggbb or #rrggbbaa). */
export function isColorCode(text: string): boolean {
  return COLOR.test(text);
}
const MARGIN = /^(\d{1,4})(px|%)?$/;

/** True when the colour has no alpha below full (JPG has no transparency). */
function opaque(color: string): boolean {
  const hex = color.slice(1);
  if (hex.length === 4) return hex[3]?.toLowerCase() === 'f';
  if (hex.length === 8) return hex.slice(6).toLowerCase() === 'ff';
  return true;
}

/** Whether the format takes an encoder quality (JPG and WebP; PNG is lossless): the Quality field shows only then. */
export function usesQuality(draft: Pick<OptionsDraft, 'format'>): boolean {
  return draft.format !== 'PNG';
}

/** Whether a crop margin applies (only when cropping to the subject): the Margin field shows only then. */
export function usesCropMargin(draft: Pick<OptionsDraft, 'crop'>): boolean {
  return draft.crop;
}

/**
 * Checks the draft as the API would (so the person sees the problem before paying) and builds the
 * GraphQL input. Returns errors by field, or the input when there are none. Every error names a field
 * the form shows for this draft (a hidden field's leftover value is ignored, not refused).
 */
export function validateOptions(draft: OptionsDraft): { errors: OptionsErrors; input?: RemoveBackgroundOptionsInput } {
  const errors: OptionsErrors = {};
  const input: RemoveBackgroundOptionsInput = { format: draft.format, type: draft.type };

  if (draft.size === 'CUSTOM') {
    const mp = Number(draft.megapixels);
    if (!draft.megapixels.trim() || !Number.isFinite(mp) || mp <= 0 || mp > MAX_OUTPUT_MEGAPIXELS)
      errors.megapixels = `Enter a size above 0 and at most ${MAX_OUTPUT_MEGAPIXELS} megapixels.`;
    else input.maxMegapixels = mp;
  } else {
    input.size = draft.size;
  }

  const color = draft.bgColor;
  if (color) {
    if (!isColorCode(color)) errors.bgColor = 'Use a colour such as #fff, #ffffff or #ffffff80.';
    else input.bgColor = color.toLowerCase();
  }
  if (draft.format === 'JPG' && draft.type === 'CUTOUT' && !errors.bgColor && (!color || !opaque(color))) {
    errors.bgColor = 'JPG has no transparency: choose an opaque background colour, or PNG or WebP.';
  }

  // A field the form hides is ignored (neither checked nor sent): its error could not be shown, and the API
  // refuses a margin without crop and a quality for PNG.
  if (draft.crop) input.crop = true;
  if (usesCropMargin(draft) && draft.cropMargin !== '') {
    const match = MARGIN.exec(draft.cropMargin);
    if (!match || (match[2] === '%' && Number(match[1]) > 100))
      errors.cropMargin = 'Use pixels ("12" or "12px") or a percentage up to 100% ("5%").';
    else input.cropMargin = draft.cropMargin;
  }

  if (usesQuality(draft) && draft.quality !== '') {
    const quality = Number(draft.quality);
    if (!Number.isInteger(quality) || quality < 1 || quality > 100) errors.quality = 'Enter a whole number from 1 to 100.';
    else input.quality = quality;
  }

  if (draft.refine) input.refine = true;
  if (draft.model) input.model = draft.model;
  if (draft.high) input.mode = 'HIGH';
  // The checkbox is shown for cut-outs only; a mask has no colours, and the API refuses false with one.
  if (draft.type === 'CUTOUT' && !draft.decontaminate) input.decontaminate = false;

  return Object.keys(errors).length ? { errors } : { errors, input };
}

export interface PriceList {
  preview: number;
  full: number;
  previewMaxMegapixels: number;
  /** Mode HIGH costs this many times the price (2). */
  highMultiplier: number;
}

/**
 * Mirrors the API's pricing (apps/api job-prices.ts): the result's pixels (the input's, capped by
 * the size) decide preview or full price; mode HIGH costs `highMultiplier` times that.
 */
export function jobCost(
  prices: PriceList,
  image: { width: number; height: number } | undefined,
  options: RemoveBackgroundOptionsInput,
): number {
  const cap =
    options.maxMegapixels !== undefined && options.maxMegapixels !== null
      ? // Whole pixels, at least one, as the API caps them.
        Math.max(1, Math.round(options.maxMegapixels * 1e6))
      : options.size === 'PREVIEW'
        ? prices.previewMaxMegapixels * 1e6
        : Infinity;
  // Unknown dimensions: assume a large photo (the higher price) so we never understate.
  const pixels = image ? Math.min(image.width * image.height, cap) : cap;
  const standard = pixels <= prices.previewMaxMegapixels * 1e6 ? prices.preview : prices.full;
  return options.mode === 'HIGH' ? standard * prices.highMultiplier : standard;
}
