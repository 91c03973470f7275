import {
  OutputFormat,
  OutputType,
  RemovalMode,
  SizePreset,
  Stage,
  type OutputOptions,
  type StageTimings,
} from './generated/inference.generated';
import type { RemoveOptionsInput } from './remove-options.schema';

export type StageName = 'decoded' | 'inference' | 'refine' | 'encoded';

export const STAGE_NAMES: Record<Stage, StageName | undefined> = {
  [Stage.UNSPECIFIED]: undefined,
  [Stage.DECODED]: 'decoded',
  [Stage.INFERENCE]: 'inference',
  [Stage.REFINE]: 'refine',
  [Stage.ENCODED]: 'encoded',
  [Stage.UNRECOGNIZED]: undefined,
};

const SIZE_PRESET: Record<string, SizePreset> = { preview: SizePreset.PREVIEW, full: SizePreset.FULL };
const OUTPUT_TYPE: Record<string, OutputType> = { cutout: OutputType.CUTOUT, mask: OutputType.MASK };
const OUTPUT_FORMAT: Record<string, OutputFormat> = { png: OutputFormat.PNG, webp: OutputFormat.WEBP, jpg: OutputFormat.JPG };
const REMOVAL_MODE: Record<string, RemovalMode> = { standard: RemovalMode.STANDARD, high: RemovalMode.HIGH };
const wireEnum = <T>(table: Record<string, T>, value: unknown, unset: T, unknown: T): T =>
  value === undefined ? unset : Object.hasOwn(table, String(value)) ? table[String(value)] : unknown;

/**
 * Caller-side options (see removeOptionsSchema) on the wire; the model travels beside them
 * (RemoveRequest.model_id). A value the wire has no word for is sent as UNRECOGNIZED (refused
 * by the server), never swapped for a default.
 */
export function toOutputOptions(input: RemoveOptionsInput = {}): OutputOptions {
  const size = input.size;
  return {
    size: typeof size === 'number' ? SizePreset.CUSTOM : wireEnum(SIZE_PRESET, size, SizePreset.FULL, SizePreset.UNRECOGNIZED),
    maxMegapixels: typeof size === 'number' ? size : 0,
    type: wireEnum(OUTPUT_TYPE, input.type, OutputType.CUTOUT, OutputType.UNRECOGNIZED),
    format: wireEnum(OUTPUT_FORMAT, input.format, OutputFormat.PNG, OutputFormat.UNRECOGNIZED),
    bgColor: input.bgColor ?? '',
    crop: input.crop ?? false,
    cropMargin: input.cropMargin ?? '',
    refine: input.refine ?? false,
    quality: input.quality ?? 0,
    mode: wireEnum(REMOVAL_MODE, input.mode, RemovalMode.STANDARD, RemovalMode.UNRECOGNIZED),
    // Negated on the wire (see inference.proto): unset and true both travel as false.
    noDecontaminate: input.decontaminate === false,
  };
}

const SIZE_NAME: Partial<Record<number, 'preview' | 'full'>> = { [SizePreset.PREVIEW]: 'preview', [SizePreset.FULL]: 'full' };
const TYPE_NAME: Partial<Record<number, 'cutout' | 'mask'>> = { [OutputType.CUTOUT]: 'cutout', [OutputType.MASK]: 'mask' };
const FORMAT_NAME: Partial<Record<number, 'png' | 'webp' | 'jpg'>> = {
  [OutputFormat.PNG]: 'png',
  [OutputFormat.WEBP]: 'webp',
  [OutputFormat.JPG]: 'jpg',
};
const MODE_NAME: Partial<Record<number, 'standard' | 'high'>> = { [RemovalMode.STANDARD]: 'standard', [RemovalMode.HIGH]: 'high' };
const callerEnum = (table: Partial<Record<number, string>>, value: number | undefined, what: string) =>
  !value ? undefined : (table[value] ?? `unknown ${what} ${value}`);

/**
 * The wire's options back in the caller's shape, unchecked, for removeOptionsSchema to judge.
 * proto3's zero values (UNSPECIFIED, "", 0) read as "not given"; an enum value with no caller
 * name (UNRECOGNIZED, a newer client's value) stays visible as "unknown …", so the check
 * refuses it instead of taking a default.
 */
export function fromOutputOptions(wire: Partial<OutputOptions> | undefined): Record<string, unknown> {
  const o = wire ?? {};
  const raw: Record<string, unknown> = {
    size: o.size === SizePreset.CUSTOM ? (o.maxMegapixels ?? 0) : callerEnum(SIZE_NAME, o.size, 'size'),
    type: callerEnum(TYPE_NAME, o.type, 'type'),
    format: callerEnum(FORMAT_NAME, o.format, 'format'),
    bgColor: o.bgColor || undefined,
    crop: o.crop,
    cropMargin: o.cropMargin || undefined,
    refine: o.refine,
    quality: o.quality || undefined,
    mode: callerEnum(MODE_NAME, o.mode, 'mode'),
    decontaminate: o.noDecontaminate ? false : undefined,
  };
  return Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
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
