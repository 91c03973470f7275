import { deliveryReport, type JobEventRecord, type ReceivedEvent } from './fanout-delivery';

const t0 = Date.parse('2025-01-01T00:00:00.000Z');
const event = (ms: number, status: string, stage: string, progress: number): JobEventRecord => ({
  status,
  stage,
  progress,
  at: new Date(t0 + ms).toISOString(),
});
const produced = [
  event(100, 'RUNNING', 'DECODED', 0.05),
  event(350, 'RUNNING', 'INFERENCE', 0.3),
  event(600, 'RUNNING', 'INFERENCE', 0.6),
  event(900, 'SUCCEEDED', 'ENCODED', 1),
];
const current: ReceivedEvent = { ...event(0, 'QUEUED', 'QUEUED', 0), receivedAt: t0 };
const got = (events: JobEventRecord[], delayMs = 20): ReceivedEvent[] => [
  current,
  ...events.map((e) => ({ ...e, receivedAt: Date.parse(e.at) + delayMs })),
];

describe('fan-out delivery against the events the job produced', () => {
  it('counts a subscriber complete only when it received every produced live event, in order', () => {
    const r = deliveryReport(produced, [got(produced), got(produced, 40)]);
    expect(r).toMatchObject({ subscribers: 2, produced: 4, subscribedBeforeStart: 2, complete: 2, missedSome: 0, mismatched: 0 });
    expect(r.latencies.sort((a, b) => a - b)).toEqual([20, 20, 20, 20, 40, 40, 40, 40]);
  });

  it('sees a loss that EVERY subscriber shares (the best subscriber is not the reference)', () => {
    const withoutOne = produced.filter((_, i) => i !== 2);
    const r = deliveryReport(produced, [got(withoutOne), got(withoutOne), got(withoutOne)]);
    expect(r).toMatchObject({ complete: 0, missedSome: 3 });
  });

  it('does not assume a number of events: any count the job produced is the reference', () => {
    const many = Array.from({ length: 13 }, (_, i) => event(100 + i * 250, i === 12 ? 'SUCCEEDED' : 'RUNNING', 'INFERENCE', i / 12));
    expect(deliveryReport(many, [got(many), got(many.slice(0, 12))])).toMatchObject({ produced: 13, complete: 1, missedSome: 1 });
  });

  it('tells a late subscriber (first event after the job started) and wrong or reordered events apart', () => {
    const late: ReceivedEvent[] = [{ ...produced[0], receivedAt: t0 + 120 }, ...got(produced).slice(1)];
    const reordered = got([produced[0], produced[2], produced[1], produced[3]]);
    const r = deliveryReport(produced, [late, reordered, got([...produced, produced[3]])]);
    expect(r).toMatchObject({ subscribedBeforeStart: 2, complete: 1, mismatched: 2, missedSome: 0 });
  });
});
