import { ApiError } from '../graphql/errors';
import { createJobWatcher, type JobSink, type JobSource } from './job-watch';
import type { JobSnapshot } from './progress';

const running = (id: string, progress = 0.5): JobSnapshot => ({ id, status: 'RUNNING', stage: 'INFERENCE', progress });
const succeeded = (id: string): JobSnapshot => ({ id, status: 'SUCCEEDED', stage: 'STORED', progress: 1, resultUrl: `/r/${id}` });

/** A fake API: streams it opens (refused beyond `limit` open ones, like WS_MAX_SUBSCRIPTIONS_PER_SOCKET), job states it answers. */
function aFakeApi(limit = Infinity) {
  const streams: { jobId: string; sink: JobSink; open: boolean }[] = [];
  const states = new Map<string, JobSnapshot>();
  let resetListener: (() => void) | undefined;
  const source: JobSource = {
    subscribe(jobId, sink) {
      const stream = { jobId, sink, open: true };
      streams.push(stream);
      if (streams.filter((s) => s.open).length > limit) {
        stream.open = false;
        void Promise.resolve().then(() =>
          sink.error(new ApiError('Too many open subscriptions', 'RATE_LIMITED', { maxSubscriptions: limit })),
        );
      }
      return () => {
        stream.open = false;
      };
    },
    read: jest.fn(async (jobId: string) => {
      const state = states.get(jobId);
      if (!state) throw new ApiError('The server could not be reached', 'NETWORK');
      return state;
    }),
    onReset(listener) {
      resetListener = listener;
      return () => undefined;
    },
  };
  return {
    source,
    states,
    open: () => streams.filter((s) => s.open),
    streamOf: (jobId: string) => streams.filter((s) => s.jobId === jobId && s.open).at(-1),
    reset() {
      for (const s of streams) s.open = false;
      resetListener?.();
    },
  };
}

async function flush(ms = 0) {
  await jest.advanceTimersByTimeAsync(ms);
}

describe('createJobWatcher', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('never takes a refused stream for the job failing: it reads the job until it is final', async () => {
    const api = aFakeApi(0);
    const seen: JobSnapshot[] = [];
    createJobWatcher(api.source, { maxLive: 5, pollMs: 1000, maxPollMs: 8000 })('job-1', (job) => seen.push(job));
    api.states.set('job-1', running('job-1'));
    await flush(0);
    expect(seen).toEqual([running('job-1')]);
    api.states.set('job-1', succeeded('job-1'));
    await flush(1000);
    expect(seen.at(-1)).toEqual(succeeded('job-1'));
    // Final: no more reads.
    const reads = (api.source.read as jest.Mock).mock.calls.length;
    await flush(10_000);
    expect((api.source.read as jest.Mock).mock.calls.length).toBe(reads);
  });

  it('reads the job when its stream ends before a final state, and keeps reading through failed reads', async () => {
    const api = aFakeApi();
    const seen: JobSnapshot[] = [];
    createJobWatcher(api.source, { maxLive: 5, pollMs: 1000, maxPollMs: 8000 })('job-2', (job) => seen.push(job));
    api.streamOf('job-2')?.sink.next(running('job-2', 0.2));
    api.streamOf('job-2')?.sink.complete();
    await flush(0); // the read fails (the server is unreachable): not an outcome
    await flush(2000);
    api.states.set('job-2', succeeded('job-2'));
    await flush(4000);
    expect(seen).toEqual([running('job-2', 0.2), succeeded('job-2')]);
  });

  it('opens at most maxLive streams; the other jobs are read, and take a slot when one frees', async () => {
    const api = aFakeApi();
    const watch = createJobWatcher(api.source, { maxLive: 2, pollMs: 1000, maxPollMs: 8000 });
    const ids = ['a', 'b', 'c', 'd'];
    for (const id of ids) {
      api.states.set(id, running(id));
      watch(id, () => undefined);
    }
    expect(api.open().map((s) => s.jobId)).toEqual(['a', 'b']);
    await flush(0);
    expect((api.source.read as jest.Mock).mock.calls.map(([id]) => id)).toEqual(['c', 'd']);
    api.streamOf('a')?.sink.next(succeeded('a'));
    expect(api.open().map((s) => s.jobId)).toEqual(['b', 'c']);
  });

  it('learns the API limit from RATE_LIMITED: with a limit of 2 and one other subscription, 4 jobs all end SUCCEEDED', async () => {
    const api = aFakeApi(2);
    api.source.subscribe('balance', { next: () => undefined, error: () => undefined, complete: () => undefined });
    const watch = createJobWatcher(api.source, { maxLive: 20, pollMs: 1000, maxPollMs: 8000 });
    const final = new Map<string, string>();
    for (const id of ['a', 'b', 'c', 'd']) {
      api.states.set(id, running(id));
      watch(id, (job) => final.set(id, job.status));
    }
    await flush(0);
    for (const id of ['a', 'b', 'c', 'd']) api.states.set(id, succeeded(id));
    api.streamOf('a')?.sink.next(succeeded('a'));
    await flush(1000);
    expect(Object.fromEntries(final)).toEqual({ a: 'SUCCEEDED', b: 'SUCCEEDED', c: 'SUCCEEDED', d: 'SUCCEEDED' });
  });

  it.each(['NOT_FOUND', 'UNAUTHENTICATED'])('stops after a read answered %s, and says so, instead of reading for ever', async (code) => {
    // Regression: a job gone with its team (or a session that ended) was read every 15 s for ever, its card stuck.
    const api = aFakeApi(0);
    (api.source.read as jest.Mock).mockImplementation(async () => {
      throw new ApiError('gone', code);
    });
    const ended: string[] = [];
    createJobWatcher(api.source, { maxLive: 5, pollMs: 1000, maxPollMs: 8000 })(
      'job-4',
      () => undefined,
      (error) => ended.push(error.code),
    );
    await flush(0);
    expect(ended).toEqual([code]);
    await flush(60_000);
    expect(api.source.read).toHaveBeenCalledTimes(1);
    expect(ended).toEqual([code]);
  });

  it('subscribes again after the socket is reset (session.refresh()), and stops everything when unwatched', async () => {
    const api = aFakeApi();
    const seen: JobSnapshot[] = [];
    const stop = createJobWatcher(api.source, { maxLive: 5, pollMs: 1000, maxPollMs: 8000 })('job-3', (job) => seen.push(job));
    const first = api.streamOf('job-3');
    api.reset();
    first?.sink.complete(); // the old socket's stream ends late: harmless
    const second = api.streamOf('job-3');
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    second?.sink.next(running('job-3', 0.7));
    expect(seen).toEqual([running('job-3', 0.7)]);
    stop();
    expect(api.open()).toEqual([]);
    await flush(10_000);
    expect(api.source.read).not.toHaveBeenCalled();
  });
});
