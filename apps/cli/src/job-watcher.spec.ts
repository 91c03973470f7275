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
});
