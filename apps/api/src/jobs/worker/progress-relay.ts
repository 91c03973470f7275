import type { JobStage } from '../entities/job.entity';

/** A running job's stage and overall progress, as written to its row and published on NOTIFY. */
export interface ProgressUpdate {
  stage: JobStage;
  progress: number;
}

/** Time and one-shot timers, injected so the relay is testable without waiting. */
export interface RelayClock {
  now(): number;
  /** Calls `fn` after `ms`, unless the returned function is called first. */
  after(ms: number, fn: () => void): () => void;
}

export const systemRelayClock: RelayClock = {
  now: () => performance.now(),
  after(ms, fn) {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};

/** The inference service's stage names, in the order a job passes them. */
const STAGE_OF: Record<string, JobStage> = { decoded: 'DECODED', inference: 'INFERENCE', refine: 'REFINE', encoded: 'ENCODED' };
const ORDER: JobStage[] = ['QUEUED', 'DECODED', 'INFERENCE', 'REFINE', 'ENCODED', 'STORED'];

/** Progress stays below this until the job is stored (only the SUCCEEDED transition writes 1). */
export const PROGRESS_CAP = 0.99;
/** At most one progress update per job per this many milliseconds (stage changes always pass). */
export const PROGRESS_MIN_INTERVAL_MS = 250;

/**
 * Relays a job's progress events from inference as they are (overall progress, not
 * rescaled): the stage from the event, progress = max(previous, fraction) capped at
 * PROGRESS_CAP, stage never going back. Coalesces per job: a stage change is published at
 * once; within a stage at most one update per interval, the latest one sent when the
 * interval ends, so the NOTIFY channel sees about 4 events per second per job at most.
 */
export class ProgressRelay {
  private stage: JobStage = 'QUEUED';
  private progress = 0;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private pending?: ProgressUpdate;
  private cancelTimer?: () => void;
  private closed = false;

  constructor(
    private readonly publish: (update: ProgressUpdate) => void,
    private readonly clock: RelayClock = systemRelayClock,
    private readonly minIntervalMs = PROGRESS_MIN_INTERVAL_MS,
  ) {}

  /** One progress event from inference (`stage`: its stage name, `fraction`: overall 0..1). */
  offer(stageName: string, fraction: number): void {
    const stage = STAGE_OF[stageName];
    if (this.closed || !stage || ORDER.indexOf(stage) < ORDER.indexOf(this.stage)) return;
    const progress = Math.min(PROGRESS_CAP, Math.max(this.progress, Number.isFinite(fraction) ? fraction : 0));
    const stageChanged = stage !== this.stage;
    if (!stageChanged && progress <= this.progress) return;
    this.stage = stage;
    this.progress = progress;
    const update = { stage, progress };
    const wait = this.lastSentAt + this.minIntervalMs - this.clock.now();
    if (stageChanged || wait <= 0) return this.send(update);
    this.pending = update;
    this.cancelTimer ??= this.clock.after(wait, () => {
      this.cancelTimer = undefined;
      if (this.pending) this.send(this.pending);
    });
  }

  /** Stops relaying: a coalesced update not yet sent is dropped (the job's final state follows). */
  close(): void {
    this.closed = true;
    this.pending = undefined;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  private send(update: ProgressUpdate): void {
    this.pending = undefined;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.lastSentAt = this.clock.now();
    this.publish(update);
  }
}
