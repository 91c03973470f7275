import { checkRemoveOptions, fromOutputOptions, type OutputOptions, type ParsedRemoveOptions } from '@cutout/inference-contract';
import { invalidArgument } from '../errors/inference-failure';

export const PREVIEW_PIXELS = 250_000;

export interface Rgba {
  r: number;
  g: number;
  b: number;
  /** 0..1 */
  a: number;
}

/** Output options checked by the contract's removeOptionsSchema, in the units the pipeline works in. */
export interface RemoveOptions {
  /** Largest output pixel count; undefined keeps the input's size. */
  maxPixels?: number;
  type: 'cutout' | 'mask';
  format: 'png' | 'webp' | 'jpg';
  bgColor?: Rgba;
  crop: boolean;
  cropMargin: { value: number; unit: 'px' | '%' };
  refine: boolean;
  /** The encoder's quality (webp, jpg); not the removal's, which is `mode`. */
  quality?: number;
  /** 'high': the high-quality path (twice the price); 'standard' by default. */
  mode: 'standard' | 'high';
  /**
   * Estimate the foreground colour of partly transparent pixels (true by default). Meaningful
   * for cut-outs only: the check refuses false with a mask, and a mask ignores it.
   */
  decontaminate: boolean;
}

export function parseHexColor(value: string): Rgba {
  const hex = value.trim().replace(/^#/, '');
  if (!/^([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.test(hex))
    throw invalidArgument(`bg_color "${value}" is not a hex colour (#rgb, #rgba, #rrggbb or #rrggbbaa)`);
  const full = hex.length <= 4 ? [...hex].map((c) => c + c).join('') : hex;
  const byte = (i: number) => parseInt(full.slice(i * 2, i * 2 + 2), 16);
  return { r: byte(0), g: byte(1), b: byte(2), a: full.length === 8 ? byte(3) / 255 : 1 };
}

/** A margin the schema accepted: "12", "12px" or "5%". */
function toMargin(value: string | undefined): RemoveOptions['cropMargin'] {
  if (!value) return { value: 0, unit: 'px' };
  return value.endsWith('%') ? { value: Number(value.slice(0, -1)), unit: '%' } : { value: Number(value.replace(/px$/, '')), unit: 'px' };
}

function toMaxPixels(size: ParsedRemoveOptions['size']): number | undefined {
  if (size === 'full') return undefined;
  if (size === 'preview') return PREVIEW_PIXELS;
  return Math.max(1, Math.round(size * 1e6));
}

/**
 * Checks the request's options with the contract's one rule set (the API checks jobs with the
 * same schema) and converts them; a broken rule is INVALID_ARGUMENT naming the field.
 */
export function parseRemoveOptions(o: OutputOptions | undefined): RemoveOptions {
  const checked = checkRemoveOptions(fromOutputOptions(o));
  if (!checked.ok) throw invalidArgument(`options.${checked.issue.path.join('.')}: ${checked.issue.message}`);
  const p = checked.options;
  return {
    maxPixels: toMaxPixels(p.size),
    type: p.type,
    format: p.format,
    bgColor: p.bgColor ? parseHexColor(p.bgColor) : undefined,
    crop: p.crop,
    cropMargin: toMargin(p.cropMargin),
    refine: p.refine,
    quality: p.quality,
    mode: p.mode,
    decontaminate: p.decontaminate,
  };
}
