/**
 * What the job itself published, against what each subscriber received. The job's own events
 * are read beside the API (a LISTEN on the job-events channel, recorded by the bench), so a
 * loss that every subscriber shares is still a loss; a subscriber's first event is the job's
 * state when it subscribed and is checked separately.
 */
export interface JobEventRecord {
  status: string;
  stage: string;
  progress: number;
  /** When the event was published (ISO), as carried by the event. */
  at: string;
}

export interface ReceivedEvent extends JobEventRecord {
  /** Date.now() when the subscriber received it. */
  receivedAt: number;
}

export interface DeliveryReport {
  subscribers: number;
  /** Live events the job produced (after every subscriber had its first event). */
  produced: number;
  /** Subscribers whose first event was the job's state before it started (QUEUED). */
  subscribedBeforeStart: number;
  /** Subscribers that received exactly the produced live events, in order. */
  complete: number;
  /** Subscribers with fewer live events than produced (a lost event). */
  missedSome: number;
  /** Subscribers with the right count but other events, or events in another order, or extra events. */
  mismatched: number;
  /** Publish → receive, over every live event of every subscriber (ms). */
  latencies: number[];
}

const sameEvent = (a: JobEventRecord, b: JobEventRecord) =>
  a.status === b.status && a.stage === b.stage && a.progress === b.progress && Date.parse(a.at) === Date.parse(b.at);

export function deliveryReport(produced: JobEventRecord[], received: ReceivedEvent[][]): DeliveryReport {
  const report: DeliveryReport = {
    subscribers: received.length,
    produced: produced.length,
    subscribedBeforeStart: 0,
    complete: 0,
    missedSome: 0,
    mismatched: 0,
    latencies: [],
  };
  for (const events of received) {
    if (events[0]?.status === 'QUEUED') report.subscribedBeforeStart++;
    const live = events.slice(1);
    for (const e of live) report.latencies.push(e.receivedAt - Date.parse(e.at));
    if (live.length < produced.length) report.missedSome++;
    else if (live.length === produced.length && live.every((e, i) => sameEvent(e, produced[i]))) report.complete++;
    else report.mismatched++;
  }
  return report;
}
