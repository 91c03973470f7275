import { Stage } from '@cutout/inference-contract';
import { ProgressReporter, RUN_TICK_CAP, runShare, type ProgressClock } from './progress-reporter';
import type { StagePlan } from './stage-time-estimator';

/** A clock moved by hand: `advance` fires the due ticks in order. */
class ManualClock implements ProgressClock {
  private time = 0;
  private timers: { every: number; next: number; tick: () => void }[] = [];

  now(): number {
    return this.time;
  }

  every(ms: number, tick: () => void): () => void {
    const timer = { every: ms, next: this.time + ms, tick };
    this.timers.push(timer);
    return () => (this.timers = this.timers.filter((t) => t !== timer));
  }

  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.next <= end).sort((a, b) => a.next - b.next)[0];
      if (!due) break;
      this.time = due.next;
      due.next += due.every;
      due.tick();
    }
    this.time = end;
  }

  get active(): number {
    return this.timers.length;
  }
}

const plan: StagePlan = { [Stage.DECODED]: 0.1, [Stage.INFERENCE]: 0.8, [Stage.REFINE]: 0.9, [Stage.ENCODED]: 1 };

function reporter() {
  const clock = new ManualClock();
  const events: [Stage, number][] = [];
  const progress = new ProgressReporter(plan, (stage, fraction) => events.push([stage, fraction]), clock, 250);
  return { clock, events, progress };
}

const expectMonotonic = (events: [Stage, number][]) => {
  for (let i = 1; i < events.length; i++) {
    expect(events[i][0]).toBeGreaterThanOrEqual(events[i - 1][0]);
    expect(events[i][1]).toBeGreaterThanOrEqual(events[i - 1][1]);
  }
};

describe('runShare', () => {
  it('grows with elapsed time in proportion to the estimate, then slows, never reaching the end', () => {
    expect(runShare(0, 2000)).toBe(0);
    expect(runShare(1000, 2000)).toBeCloseTo(0.5);
    expect(runShare(1800, 2000)).toBeCloseTo(0.9);
    const overrun = [2000, 4000, 20_000, 1e9].map((ms) => runShare(ms, 2000));
    expect([...overrun].sort((a, b) => a - b)).toEqual(overrun);
    for (const share of overrun) expect(share).toBeLessThanOrEqual(RUN_TICK_CAP);
    expect(runShare(-5, 0)).toBe(0);
  });
});

describe('ProgressReporter', () => {
  it('ticks every interval while the model runs, in proportion to the expected run time, capped below the stage end', () => {
    const { clock, events, progress } = reporter();
    progress.stageDone(Stage.DECODED);
    progress.runStarted(1000);
    clock.advance(1000);
    const ticks = events.slice(1);
    expect(ticks.map(([stage]) => stage)).toEqual([Stage.INFERENCE, Stage.INFERENCE, Stage.INFERENCE, Stage.INFERENCE]);
    expect(ticks[0][1]).toBeCloseTo(0.1 + 0.7 * 0.25);
    expect(ticks[1][1]).toBeCloseTo(0.1 + 0.7 * 0.5);
    // The run overruns its estimate: the bar keeps creeping but stays below the stage end.
    clock.advance(60_000);
    expect(events.at(-1)?.[1]).toBeLessThan(0.8);
    expect(events.at(-1)?.[1]).toBeGreaterThan(0.1 + 0.7 * 0.9);
    progress.stageDone(Stage.INFERENCE);
    expect(events.at(-1)).toEqual([Stage.INFERENCE, 0.8]);
    expect(clock.active).toBe(0);
    progress.stageDone(Stage.REFINE);
    progress.stageDone(Stage.ENCODED);
    expect(events.at(-1)).toEqual([Stage.ENCODED, 1]);
    expectMonotonic(events);
  });

  it('sends nothing while queued, and no tick that would not move the bar', () => {
    const { clock, events, progress } = reporter();
    progress.stageDone(Stage.DECODED);
    clock.advance(5000); // waiting for the model: no run yet
    expect(events).toHaveLength(1);
    progress.runStarted(1e9); // a run expected to take very long: ticks too small to send
    clock.advance(1000);
    expect(events).toHaveLength(1);
  });

  it('stops ticking when the run ends (success, failure or cancel) and when INFERENCE is done', () => {
    const { clock, events, progress } = reporter();
    progress.stageDone(Stage.DECODED);
    progress.runStarted(1000);
    clock.advance(300);
    progress.runEnded();
    const count = events.length;
    clock.advance(5000);
    expect(events).toHaveLength(count);
    expect(clock.active).toBe(0);
    progress.runStarted(1000);
    progress.stageDone(Stage.INFERENCE);
    expect(clock.active).toBe(0);
  });

  it('never goes backwards: a stage end below the ticks so far, or a late earlier stage, is held', () => {
    const { clock, events, progress } = reporter();
    progress.stageDone(Stage.DECODED);
    progress.runStarted(10);
    clock.advance(10_000); // ticks near the INFERENCE end
    progress.stageDone(Stage.REFINE);
    progress.stageDone(Stage.INFERENCE); // out of order: ignored
    expect(events.at(-1)).toEqual([Stage.REFINE, 0.9]);
    progress.stageDone(Stage.ENCODED);
    expectMonotonic(events);
    expect(events.at(-1)).toEqual([Stage.ENCODED, 1]);
  });

  it('sends every stage end, even when a stage took no share', () => {
    const flat: StagePlan = { [Stage.DECODED]: 0.5, [Stage.INFERENCE]: 0.5, [Stage.REFINE]: 0.5, [Stage.ENCODED]: 1 };
    const events: [Stage, number][] = [];
    const progress = new ProgressReporter(flat, (stage, fraction) => events.push([stage, fraction]), new ManualClock());
    for (const stage of [Stage.DECODED, Stage.INFERENCE, Stage.REFINE, Stage.ENCODED] as const) progress.stageDone(stage);
    expect(events).toEqual([
      [Stage.DECODED, 0.5],
      [Stage.INFERENCE, 0.5],
      [Stage.REFINE, 0.5],
      [Stage.ENCODED, 1],
    ]);
  });
});
