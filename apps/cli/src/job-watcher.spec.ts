import type { Client, ClientOptions, Sink } from 'graphql-ws';
import { JobWatcher, toWatchError } from './job-watcher';

describe('job watcher', () => {
  it('maps graphql-ws failures to coded errors', () => {
    expect(toWatchError([{ message: 'Job not found', extensions: { code: 'NOT_FOUND' } }])).toMatchObject({
      code: 'NOT_FOUND',
      message: 'Job not found',
    });
    expect(toWatchError({ code: 4403, reason: 'Forbidden' })).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(toWatchError({ code: 1006, reason: '' })).toMatchObject({ code: 'NETWORK_ERROR' });
    expect(toWatchError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toMatchObject({
      code: 'NETWORK_ERROR',
    });
  });

  it('multiplexes every job on one client and resolves with the final state', async () => {
    const created: ClientOptions[] = [];
    const sinks = new Map<string, Sink>();
    const client = {
      subscribe: (payload: { variables: { id: string } }, sink: Sink) => {
        sinks.set(payload.variables.id, sink);
        return () => undefined;
      },
      dispose: jest.fn(async () => undefined),
    };
    const watcher = new JobWatcher({
      apiUrl: 'https://api.example.com',
      apiKey: 'ck_x',
      createClient: (options) => {
        created.push(options);
        return client as unknown as Client;
      },
    });
    const seen: string[] = [];
    const a = watcher.watch('a', (s) => seen.push(`a:${s.status}`));
    const b = watcher.watch('b', (s) => seen.push(`b:${s.status}`));
    const event = (jobId: string, status: string, error: unknown = null) => ({
      data: { jobUpdated: { jobId, status, stage: 'STORED', progress: 1, resultUrl: null, error } },
    });
    sinks.get('a')!.next(event('a', 'RUNNING'));
    sinks.get('b')!.next(event('b', 'FAILED', { code: 'UNSUPPORTED_IMAGE', message: 'x' }));
    sinks.get('b')!.complete();
    sinks.get('a')!.next(event('a', 'SUCCEEDED'));
    sinks.get('a')!.complete();
    expect((await a).status).toBe('SUCCEEDED');
    expect((await b).error).toEqual({ code: 'UNSUPPORTED_IMAGE', message: 'x' });
    expect(seen).toEqual(['a:RUNNING', 'b:FAILED', 'a:SUCCEEDED']);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ url: 'wss://api.example.com/graphql', connectionParams: { authorization: 'Bearer ck_x' } });

    const c = watcher.watch('c', () => undefined);
    sinks.get('c')!.next(event('c', 'RUNNING'));
    sinks.get('c')!.complete();
    await expect(c).rejects.toMatchObject({ code: 'WATCH_INCOMPLETE' });
    await watcher.close();
    expect(client.dispose).toHaveBeenCalled();
  });

  it('reads the job when its stream goes quiet (its final event was lost): a final state read ends the watch, a running one keeps it', async () => {
    // Regression: the watch waited for ever when the final event never came (e.g. the API lost its LISTEN connection).
    const sinks = new Map<string, Sink>();
    const unsubscribed: string[] = [];
    const client = {
      subscribe: (payload: { variables: { id: string } }, sink: Sink) => {
        sinks.set(payload.variables.id, sink);
        return () => unsubscribed.push(payload.variables.id);
      },
      dispose: async () => undefined,
    };
    const reads: string[] = [];
    let status = 'RUNNING';
    const watcher = new JobWatcher({
      apiUrl: 'https://api.example.com',
      apiKey: 'ck_x',
      createClient: () => client as unknown as Client,
      quietMs: 20,
      readJob: async (jobId) => {
        reads.push(status);
        return { jobId, status, stage: 'QUEUED', progress: 0, resultUrl: null, error: null } as never;
      },
    });
    const seen: string[] = [];
    const watched = watcher.watch('a', (s) => seen.push(s.status));
    sinks
      .get('a')!
      .next({ data: { jobUpdated: { jobId: 'a', status: 'RUNNING', stage: 'QUEUED', progress: 0, resultUrl: null, error: null } } });
    await new Promise((r) => setTimeout(r, 70));
    expect(reads.length).toBeGreaterThan(0); // still RUNNING: the watch goes on
    status = 'CANCELED';
    expect((await watched).status).toBe('CANCELED');
    expect(seen).toEqual(['RUNNING', 'CANCELED']);
    expect(unsubscribed).toEqual(['a']);
    await watcher.close();
  });
});
