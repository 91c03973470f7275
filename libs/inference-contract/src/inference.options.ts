import { OutputFormat, OutputType, SizePreset, Stage, type OutputOptions, type StageTimings } from './generated/inference.generated';

/** Output options in the shape callers use (the wire shape is OutputOptions). */
export interface RemoveOptionsInput {
  /** 'preview' (about 0.25 MP), 'full' (default), or the largest output size in megapixels. */
  size?: 'preview' | 'full' | number;
  type?: 'cutout' | 'mask';
  format?: 'png' | 'webp' | 'jpg';
  /** Hex colour (#rgb, #rgba, #rrggbb, #rrggbbaa) behind the subject; required for opaque jpg cutouts. */
  bgColor?: string;
  crop?: boolean;
  /** Margin around the subject when cropping: pixels (12, "12px") or percent ("5%"). */
  cropMargin?: number | string;
  refine?: boolean;
  /** 1..100 for webp and jpg. */
  quality?: number;
}

export type StageName = 'decoded' | 'inference' | 'refine' | 'encoded';

export const STAGE_NAMES: Record<Stage, StageName | undefined> = {
  [Stage.UNSPECIFIED]: undefined,
  [Stage.DECODED]: 'decoded',
  [Stage.INFERENCE]: 'inference',
  [Stage.REFINE]: 'refine',
  [Stage.ENCODED]: 'encoded',
  [Stage.UNRECOGNIZED]: undefined,
};

export function toOutputOptions(input: RemoveOptionsInput = {}): OutputOptions {
  const size = input.size ?? 'full';
  return {
    size: size === 'preview' ? SizePreset.PREVIEW : size === 'full' ? SizePreset.FULL : SizePreset.CUSTOM,
    maxMegapixels: typeof size === 'number' ? size : 0,
    type: input.type === 'mask' ? OutputType.MASK : OutputType.CUTOUT,
    format: input.format === 'webp' ? OutputFormat.WEBP : input.format === 'jpg' ? OutputFormat.JPG : OutputFormat.PNG,
    bgColor: input.bgColor ?? '',
    crop: input.crop ?? false,
    cropMargin: input.cropMargin === undefined ? '' : String(input.cropMargin),
    refine: input.refine ?? false,
    quality: input.quality ?? 0,
  };
}

export interface Timings {
  decodeMs: number;
  queueMs: number;
  inferenceMs: number;
  refineMs: number;
  encodeMs: number;
  totalMs: number;
}

export function toTimings(t: StageTimings | undefined): Timings {
  return {
    decodeMs: t?.decodeMs ?? 0,
    queueMs: t?.queueMs ?? 0,
    inferenceMs: t?.inferenceMs ?? 0,
    refineMs: t?.refineMs ?? 0,
    encodeMs: t?.encodeMs ?? 0,
    totalMs: t?.totalMs ?? 0,
  };
}
