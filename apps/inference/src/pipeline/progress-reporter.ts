import { Stage } from '@cutout/inference-contract';
import type { StagePlan } from './stage-time-estimator';

export type ProgressListener = (stage: Stage, fraction: number) => void;

/** Time and repeating timers, injected so the ticker is testable without waiting. */
export interface ProgressClock {
  now(): number;
  /** Calls `tick` every `ms` until the returned function is called. */
  every(ms: number, tick: () => void): () => void;
}

export const systemClock: ProgressClock = {
  now: () => performance.now(),
  every(ms, tick) {
    const timer = setInterval(tick, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};

/** Share of the run's stage span reached linearly; past it the bar slows down. */
const LINEAR_UNTIL = 0.9;
/** A run that outlasts its estimate creeps toward this share of its span, never to its end. */
export const RUN_TICK_CAP = 0.98;
/** Ticks that would move the bar by less than this are not sent. */
export const MIN_TICK_STEP = 0.002;

/**
 * Share (0..RUN_TICK_CAP) of the run's stage span after `elapsedMs` of a run expected to take
 * `expectedMs`: proportional to time up to 90 %, then slowing, so an overrun never reaches the end.
 */
export function runShare(elapsedMs: number, expectedMs: number): number {
  const ratio = Math.max(0, elapsedMs) / Math.max(1, expectedMs);
  if (ratio <= LINEAR_UNTIL) return ratio;
  return LINEAR_UNTIL + (RUN_TICK_CAP - LINEAR_UNTIL) * (1 - Math.exp(-(ratio - LINEAR_UNTIL) / 0.5));
}

/**
 * One request's overall progress: stage ends from its plan, ticks while the model runs,
 * and the guarantees clients rely on: stages never go back, the fraction never decreases,
 * and the last event (ENCODED) is exactly 1.
 */
export class ProgressReporter {
  private stage: Stage = Stage.UNSPECIFIED;
  private fraction = 0;
  private stopTicks?: () => void;

  constructor(
    private readonly plan: StagePlan,
    private readonly listener: ProgressListener,
    private readonly clock: ProgressClock = systemClock,
    private readonly intervalMs = 250,
  ) {}

  /** A stage finished: its end on the overall scale (ENCODED: 1). */
  stageDone(stage: Stage.DECODED | Stage.INFERENCE | Stage.REFINE | Stage.ENCODED): void {
    if (stage === Stage.INFERENCE) this.runEnded();
    this.emit(stage, this.plan[stage], true);
  }

  /**
   * The model run carrying this request started: INFERENCE ticks until `runEnded` or the stage is
   * done. A request with several runs (HIGH) gives each run its `part` of `parts` equal slices of
   * the INFERENCE span, so the bar moves through every run instead of waiting at the first's end.
   */
  runStarted(expectedMs: number, part = 0, parts = 1): void {
    this.runEnded();
    const started = this.clock.now();
    const begin = this.plan[Stage.DECODED];
    const span = this.plan[Stage.INFERENCE] - begin;
    const count = Math.max(1, parts);
    const slice = Math.min(Math.max(0, part), count - 1);
    const from = Math.max(this.fraction, begin + (span * slice) / count);
    const to = Math.max(from, begin + (span * (slice + 1)) / count);
    this.stopTicks = this.clock.every(this.intervalMs, () =>
      this.emit(Stage.INFERENCE, from + (to - from) * runShare(this.clock.now() - started, expectedMs), false),
    );
  }

  runEnded(): void {
    this.stopTicks?.();
    this.stopTicks = undefined;
  }

  private emit(stage: Stage, fraction: number, stageEnd: boolean): void {
    if (stage < this.stage) return;
    const next = Math.min(1, Math.max(this.fraction, fraction));
    if (!stageEnd && next - this.fraction < MIN_TICK_STEP) return;
    this.stage = stage;
    this.fraction = next;
    this.listener(stage, next);
  }
}
