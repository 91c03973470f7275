/** @jest-environment jsdom */
import { act, render, screen } from '@testing-library/react';
import { resetSubscriptions } from '../graphql/client';
import { fakeSinks as sinks } from '../graphql/graphql-ws.fake';
import { SessionProvider } from '../session/session';
import { aHistoryJob } from './history-job.fixture';
import { HISTORY_POLL_MS, HistoryPage } from './history-page';

jest.mock('graphql-ws', () =>
  jest.requireActual<typeof import('../graphql/graphql-ws.fake')>('../graphql/graphql-ws.fake').fakeGraphqlWs(),
);

const aJob = (status: 'RUNNING' | 'SUCCEEDED', progress: number) =>
  aHistoryJob('c0ffee00-0000-4000-8000-000000000001', {
    filename: 'cat.jpg',
    status,
    stage: status === 'SUCCEEDED' ? 'STORED' : 'INFERENCE',
    progress,
    finishedAt: status === 'SUCCEEDED' ? '2026-12-02T05:00:05.000Z' : null,
  });

/** The server's answers by operation (the HTTP boundary: fetch); the job is running until `finished`. */
let finished = false;
const jobReads = jest.fn();
function answer(operation: string): unknown {
  switch (operation) {
    case 'Me':
      return { me: { id: 'u1', email: 'a@example.com', emailVerified: true, isPlatformAdmin: false, mustAcceptPolicy: false } };
    case 'ConsentState':
      return { consent: null, policy: { version: '2026-11-30' } };
    case 'Teams':
      return { teams: { edges: [{ node: { id: 't1', name: 'Mine', personal: true, viewerRole: 'OWNER' } }] } };
    case 'HistoryJobs':
      return { jobs: { edges: [{ node: aJob('RUNNING', 0.4) }], pageInfo: { endCursor: null, hasNextPage: false } } };
    case 'HistoryJob':
      jobReads();
      return { job: finished ? aJob('SUCCEEDED', 1) : aJob('RUNNING', 0.6) };
    default:
      throw new Error(`no answer for ${operation}`);
  }
}

describe('HistoryPage', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    sinks.length = 0;
    resetSubscriptions();
    globalThis.fetch = jest.fn(async (_url: unknown, init?: { body?: string }) => {
      const { query } = JSON.parse(init?.body ?? '{}') as { query: string };
      const operation = /^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? '';
      return { status: 200, json: async () => ({ data: answer(operation) }) };
    }) as unknown as typeof fetch;
  });
  afterEach(() => jest.useRealTimers());

  const wait = (ms: number) => act(async () => void (await jest.advanceTimersByTimeAsync(ms)));

  it('reads its running jobs every HISTORY_POLL_MS while the teamJobs stream is refused, so a finished job shows as finished', async () => {
    // Regression: a refused teamJobs stream left every running job shown as running until a reload.
    render(
      <SessionProvider>
        <HistoryPage />
      </SessionProvider>,
    );
    await wait(0);
    await wait(0);
    expect(screen.getByRole('listitem', { name: 'cat.jpg' }).textContent).toMatch(/Running/);
    const teamJobs = sinks.at(-1);
    expect(teamJobs).toBeDefined();
    await act(async () => teamJobs?.error([{ message: 'Too many open subscriptions', extensions: { code: 'RATE_LIMITED' } }]));
    await wait(0);
    expect(jobReads).toHaveBeenCalledTimes(1); // at once
    finished = true;
    await wait(HISTORY_POLL_MS);
    expect(jobReads).toHaveBeenCalledTimes(2);
    expect(screen.getByRole('listitem', { name: 'cat.jpg' }).textContent).toMatch(/Succeeded/);
    // Nothing runs any more: the polls read nothing.
    await wait(3 * HISTORY_POLL_MS);
    expect(jobReads).toHaveBeenCalledTimes(2);
  });
});
