import { PROGRESS_CAP, ProgressRelay, type ProgressUpdate, type RelayClock } from './progress-relay';

/** A clock moved by hand: `advance` runs the timers that fall due. */
class ManualClock implements RelayClock {
  private time = 0;
  private timers: { at: number; fn: () => void }[] = [];

  now(): number {
    return this.time;
  }

  after(ms: number, fn: () => void): () => void {
    const timer = { at: this.time + ms, fn };
    this.timers.push(timer);
    return () => (this.timers = this.timers.filter((t) => t !== timer));
  }

  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.fn();
    }
    this.time = end;
  }

  get pending(): number {
    return this.timers.length;
  }
}

function relay() {
  const clock = new ManualClock();
  const sent: ProgressUpdate[] = [];
  return { clock, sent, relay: new ProgressRelay((u) => sent.push(u), clock, 250) };
}

describe('ProgressRelay', () => {
  it('relays overall progress as it is: stage from the event, no rescaling', () => {
    const { sent, relay: r } = relay();
    r.offer('decoded', 0.04);
    r.offer('inference', 0.3);
    expect(sent).toEqual([
      { stage: 'DECODED', progress: 0.04 },
      { stage: 'INFERENCE', progress: 0.3 },
    ]);
  });

  it('coalesces ticks within a stage to one update per interval, sending the latest when the interval ends', () => {
    const { clock, sent, relay: r } = relay();
    r.offer('decoded', 0.05);
    r.offer('inference', 0.1); // stage change: at once, even within the interval
    for (let i = 1; i <= 20; i++) {
      clock.advance(50); // ticks every 50 ms for one second
      r.offer('inference', 0.1 + i * 0.03);
    }
    clock.advance(250);
    const inference = sent.filter((u) => u.stage === 'INFERENCE');
    expect(inference.length).toBeLessThanOrEqual(6); // the stage change, then ≤ 4 per second, then the trailing one
    expect(inference.length).toBeGreaterThanOrEqual(4);
    expect(sent.at(-1)).toEqual({ stage: 'INFERENCE', progress: 0.1 + 20 * 0.03 });
    const progress = sent.map((u) => u.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(clock.pending).toBe(0);
  });

  it('always passes stage changes at once, dropping the coalesced update they supersede', () => {
    const { clock, sent, relay: r } = relay();
    r.offer('inference', 0.2);
    r.offer('inference', 0.5); // coalesced
    r.offer('refine', 0.8);
    r.offer('encoded', 1);
    expect(sent).toEqual([
      { stage: 'INFERENCE', progress: 0.2 },
      { stage: 'REFINE', progress: 0.8 },
      { stage: 'ENCODED', progress: PROGRESS_CAP },
    ]);
    clock.advance(1000);
    expect(sent).toHaveLength(3);
  });

  it('never goes back, and stays below 1 until the job is stored', () => {
    const { clock, sent, relay: r } = relay();
    r.offer('inference', 0.6);
    clock.advance(300);
    r.offer('inference', 0.4); // lower: nothing to send
    r.offer('decoded', 0.9); // an earlier stage: ignored
    r.offer('unknown', 0.95); // a stage this API does not know: ignored
    clock.advance(300);
    expect(sent).toEqual([{ stage: 'INFERENCE', progress: 0.6 }]);
    r.offer('refine', 0.5); // a new stage whose fraction is lower keeps the progress so far
    r.offer('encoded', 1.5);
    expect(sent.slice(1)).toEqual([
      { stage: 'REFINE', progress: 0.6 },
      { stage: 'ENCODED', progress: PROGRESS_CAP },
    ]);
  });

  it('sends nothing after close (the final state follows)', () => {
    const { clock, sent, relay: r } = relay();
    r.offer('inference', 0.2);
    r.offer('inference', 0.3); // coalesced, not yet sent
    r.close();
    r.offer('refine', 0.9);
    clock.advance(1000);
    expect(sent).toEqual([{ stage: 'INFERENCE', progress: 0.2 }]);
    expect(clock.pending).toBe(0);
  });
});
