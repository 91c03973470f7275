import { Stage } from '@cutout/inference-contract';
import type { InferenceOutcome } from '../engine/inference-scheduler';

/** Expected milliseconds of each stage of one request. */
export interface StageTimes {
  decodeMs: number;
  inferenceMs: number;
  refineMs: number;
  encodeMs: number;
}

/** Where each stage ends on the 0..1 overall scale (ENCODED ends at 1). */
export type StagePlan = Record<Stage.DECODED | Stage.INFERENCE | Stage.REFINE | Stage.ENCODED, number>;

export interface RequestShape {
  modelId: string;
  /** Output pixels (decode, refine and encode scale with them). */
  pixels: number;
  refine: boolean;
  /** Model runs the request plans (HIGH: the flipped input, the second pass); 1 by default. */
  runs?: number;
}

/** One model run as the scheduler reports it: its duration and how many inputs it carried. */
export type RunSample = Pick<InferenceOutcome, 'inferenceMs' | 'batchSize'>;

/**
 * A request's model time per batch item: each run's time shared among the inputs it carried,
 * averaged over the request's runs. HIGH's two runs in one batch of 2 taking T: T/2 each (not
 * T/4); the same two runs one after the other, T1 each: T1; undefined without runs.
 */
export function runMsPerItem(runs: readonly RunSample[]): number | undefined {
  if (runs.length === 0) return undefined;
  return runs.reduce((sum, run) => sum + run.inferenceMs / Math.max(1, run.batchSize), 0) / runs.length;
}

/** Weight of a new sample in the moving averages. */
export const SAMPLE_WEIGHT = 0.3;
/** The smallest share of the whole a stage gets, so every stage moves the bar a little. */
export const MIN_STAGE_SHARE = 0.02;
const BUCKET_BASE_PIXELS = 250_000;
// Milliseconds per megapixel before a size bucket has a sample (2-core CPU, measured roughly).
const DEFAULT_MS_PER_MP = { decode: 40, refineOff: 15, refineOn: 150, encode: 60 };
const DEFAULT_INFERENCE_MS = 1000;

type ImageStage = 'decode' | 'refine' | 'encode';

/** Size bucket of an output: 0 up to 0.25 MP, then one per doubling. */
export function sizeBucket(pixels: number): number {
  return Math.max(0, Math.ceil(Math.log2(Math.max(1, pixels) / BUCKET_BASE_PIXELS)));
}

const average = (previous: number | undefined, sample: number) =>
  previous === undefined ? sample : previous + SAMPLE_WEIGHT * (sample - previous);

/**
 * Recent stage times, as exponential moving averages: the model run per model (its input
 * has a fixed size; kept per batch item, seeded from the warm-up run), decode / refine /
 * encode per model, output size bucket and refine on/off (kept per megapixel). Pure: the
 * caller measures and records.
 */
export class StageTimeEstimator {
  private readonly runMsPerItem = new Map<string, number>();
  private readonly msPerMp = new Map<string, number>();

  /** Seeds a model's run time from its warm-up run, unless real runs were recorded already. */
  seedInference(modelId: string, warmupMs: number): void {
    if (!this.runMsPerItem.has(modelId)) this.runMsPerItem.set(modelId, warmupMs);
  }

  /** Expected duration of one model run carrying `batchSize` inputs. */
  expectedRunMs(modelId: string, batchSize = 1): number {
    return (this.runMsPerItem.get(modelId) ?? DEFAULT_INFERENCE_MS) * Math.max(1, batchSize);
  }

  expected(shape: RequestShape): StageTimes {
    const mp = Math.max(shape.pixels, 1) / 1e6;
    const perMp = (stage: ImageStage, fallback: number) => (this.msPerMp.get(this.key(shape, stage)) ?? fallback) * mp;
    return {
      decodeMs: perMp('decode', DEFAULT_MS_PER_MP.decode),
      inferenceMs: this.expectedRunMs(shape.modelId) * Math.max(1, shape.runs ?? 1),
      refineMs: perMp('refine', shape.refine ? DEFAULT_MS_PER_MP.refineOn : DEFAULT_MS_PER_MP.refineOff),
      encodeMs: perMp('encode', DEFAULT_MS_PER_MP.encode),
    };
  }

  /**
   * Records one finished request: its stage times, `inferenceMs` being the model time per batch
   * item (runMsPerItem of its runs: not divided again here).
   */
  record(shape: RequestShape, times: StageTimes): void {
    const mp = Math.max(shape.pixels, 1) / 1e6;
    this.runMsPerItem.set(shape.modelId, average(this.runMsPerItem.get(shape.modelId), times.inferenceMs));
    const stages: [ImageStage, number][] = [
      ['decode', times.decodeMs],
      ['refine', times.refineMs],
      ['encode', times.encodeMs],
    ];
    for (const [stage, ms] of stages) {
      const key = this.key(shape, stage);
      this.msPerMp.set(key, average(this.msPerMp.get(key), ms / mp));
    }
  }

  /** The end of each stage on the overall scale: each stage's share of the expected total. */
  plan(shape: RequestShape): StagePlan {
    return planFromTimes(this.expected(shape));
  }

  private key(shape: RequestShape, stage: ImageStage): string {
    const runs = (shape.runs ?? 1) > 1 ? `|runs${shape.runs}` : '';
    return `${shape.modelId}|${sizeBucket(shape.pixels)}|${shape.refine ? 'refine' : 'plain'}${runs}|${stage}`;
  }
}

/** Stage ends proportional to the expected times, each stage at least MIN_STAGE_SHARE of the whole. */
export function planFromTimes(times: StageTimes): StagePlan {
  const raw = [times.decodeMs, times.inferenceMs, times.refineMs, times.encodeMs].map((ms) => (Number.isFinite(ms) && ms > 0 ? ms : 0));
  const total = raw.reduce((sum, ms) => sum + ms, 0);
  const shares = raw.map((ms) => (total > 0 ? ms / total : 0.25));
  const lifted = shares.map((share) => MIN_STAGE_SHARE + share * (1 - MIN_STAGE_SHARE * shares.length));
  const ends: number[] = [];
  lifted.reduce((sum, share, i) => (ends[i] = sum + share), 0);
  return { [Stage.DECODED]: ends[0], [Stage.INFERENCE]: ends[1], [Stage.REFINE]: ends[2], [Stage.ENCODED]: 1 };
}
