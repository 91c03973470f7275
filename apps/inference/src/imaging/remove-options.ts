import { OutputFormat, OutputType, SizePreset, type OutputOptions } from '@cutout/inference-contract';
import { invalidArgument } from '../errors/inference-failure';

export const PREVIEW_PIXELS = 250_000;

export interface Rgba {
  r: number;
  g: number;
  b: number;
  /** 0..1 */
  a: number;
}

/** Validated output options (see OutputOptions in inference.proto). */
export interface RemoveOptions {
  /** Largest output pixel count; undefined keeps the input's size. */
  maxPixels?: number;
  type: 'cutout' | 'mask';
  format: 'png' | 'webp' | 'jpg';
  bgColor?: Rgba;
  crop: boolean;
  cropMargin: { value: number; unit: 'px' | '%' };
  refine: boolean;
  quality?: number;
}

export function parseHexColor(value: string): Rgba {
  const hex = value.trim().replace(/^#/, '');
  if (!/^([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.test(hex)) throw invalidArgument(`bg_color "${value}" is not a hex colour (#rgb, #rgba, #rrggbb or #rrggbbaa)`);
  const full = hex.length <= 4 ? [...hex].map((c) => c + c).join('') : hex;
  const byte = (i: number) => parseInt(full.slice(i * 2, i * 2 + 2), 16);
  return { r: byte(0), g: byte(1), b: byte(2), a: full.length === 8 ? byte(3) / 255 : 1 };
}

function parseMargin(value: string): RemoveOptions['cropMargin'] {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(px|%)?\s*$/.exec(value);
  if (!m) throw invalidArgument(`crop_margin "${value}" must be pixels ("12", "12px") or a percentage ("5%")`);
  const amount = Number(m[1]);
  const unit = m[2] === '%' ? '%' : 'px';
  if (unit === '%' && amount > 100) throw invalidArgument('crop_margin must be at most 100%');
  if (unit === 'px' && amount > 10_000) throw invalidArgument('crop_margin must be at most 10000px');
  return { value: amount, unit };
}

export function parseRemoveOptions(o: OutputOptions | undefined): RemoveOptions {
  const options = o ?? ({} as Partial<OutputOptions>);
  let maxPixels: number | undefined;
  switch (options.size ?? SizePreset.UNSPECIFIED) {
    case SizePreset.UNSPECIFIED:
    case SizePreset.FULL:
      break;
    case SizePreset.PREVIEW:
      maxPixels = PREVIEW_PIXELS;
      break;
    case SizePreset.CUSTOM: {
      const mp = options.maxMegapixels ?? 0;
      if (!(mp > 0 && mp <= 1000)) throw invalidArgument('size CUSTOM needs max_megapixels between 0 and 1000');
      maxPixels = Math.max(1, Math.round(mp * 1e6));
      break;
    }
    default:
      throw invalidArgument(`unknown size ${String(options.size)}`);
  }
  const type = options.type ?? OutputType.UNSPECIFIED;
  if (![OutputType.UNSPECIFIED, OutputType.CUTOUT, OutputType.MASK].includes(type)) throw invalidArgument(`unknown output type ${type}`);
  const formats: Record<number, RemoveOptions['format']> = {
    [OutputFormat.UNSPECIFIED]: 'png',
    [OutputFormat.PNG]: 'png',
    [OutputFormat.WEBP]: 'webp',
    [OutputFormat.JPG]: 'jpg',
  };
  const format = formats[options.format ?? OutputFormat.UNSPECIFIED];
  if (!format) throw invalidArgument(`unknown format ${String(options.format)}`);
  const bgColor = options.bgColor ? parseHexColor(options.bgColor) : undefined;
  const quality = options.quality || undefined;
  if (quality !== undefined && !(Number.isInteger(quality) && quality >= 1 && quality <= 100)) throw invalidArgument('quality must be 1..100');
  const parsed: RemoveOptions = {
    maxPixels,
    type: type === OutputType.MASK ? 'mask' : 'cutout',
    format,
    bgColor,
    crop: options.crop ?? false,
    cropMargin: options.cropMargin ? parseMargin(options.cropMargin) : { value: 0, unit: 'px' },
    refine: options.refine ?? false,
    quality,
  };
  if (parsed.format === 'jpg' && parsed.type === 'cutout' && (!bgColor || bgColor.a < 1)) {
    throw invalidArgument('format JPG has no transparency: give an opaque bg_color (e.g. "#ffffff") or use PNG/WEBP');
  }
  return parsed;
}
