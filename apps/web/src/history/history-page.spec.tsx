/** @jest-environment jsdom */
import { act, render, screen, within } from '@testing-library/react';
import { resetSubscriptions } from '../graphql/client';
import { fakeSinks as sinks } from '../graphql/graphql-ws.fake';
import { SessionProvider } from '../session/session';
import { aHistoryJob } from './history-job.fixture';
import { HISTORY_POLL_MS, HistoryPage } from './history-page';

jest.mock('graphql-ws', () =>
  jest.requireActual<typeof import('../graphql/graphql-ws.fake')>('../graphql/graphql-ws.fake').fakeGraphqlWs(),
);

const CAT = 'c0ffee00-0000-4000-8000-000000000001';
const aJob = (status: 'RUNNING' | 'SUCCEEDED', progress: number) =>
  aHistoryJob(CAT, {
    filename: 'cat.jpg',
    status,
    stage: status === 'SUCCEEDED' ? 'STORED' : 'INFERENCE',
    progress,
    createdAt: '2026-12-02T05:00:00.000Z',
    finishedAt: status === 'SUCCEEDED' ? '2026-12-02T05:00:05.000Z' : null,
  });

/** The server's answers by operation (the HTTP boundary: fetch): the team's jobs, newest first; the cat job runs until `finished`. */
let finished = false;
let teammates: ReturnType<typeof aHistoryJob>[] = [];
const listReads = jest.fn();
const jobReads = jest.fn();
const cat = () => (finished ? aJob('SUCCEEDED', 1) : aJob('RUNNING', 0.6));
function answer(operation: string): unknown {
  switch (operation) {
    case 'Me':
      return { me: { id: 'u1', email: 'a@example.com', emailVerified: true, isPlatformAdmin: false, mustAcceptPolicy: false } };
    case 'ConsentState':
      return { consent: null, policy: { version: '2026-11-30' } };
    case 'Teams':
      return { teams: { edges: [{ node: { id: 't1', name: 'Mine', personal: true, viewerRole: 'OWNER' } }] } };
    case 'HistoryJobs':
      listReads();
      return { jobs: { edges: [...teammates, cat()].map((node) => ({ node })), pageInfo: { endCursor: null, hasNextPage: false } } };
    case 'HistoryJob':
      jobReads();
      return { job: cat() };
    default:
      throw new Error(`no answer for ${operation}`);
  }
}

describe('HistoryPage', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    sinks.length = 0;
    finished = false;
    teammates = [];
    listReads.mockClear();
    jobReads.mockClear();
    resetSubscriptions();
    globalThis.fetch = jest.fn(async (_url: unknown, init?: { body?: string }) => {
      const { query } = JSON.parse(init?.body ?? '{}') as { query: string };
      const operation = /^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? '';
      return { status: 200, json: async () => ({ data: answer(operation) }) };
    }) as unknown as typeof fetch;
  });
  afterEach(() => jest.useRealTimers());

  const wait = (ms: number) => act(async () => void (await jest.advanceTimersByTimeAsync(ms)));

  async function openWithRefusedStream() {
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
    const before = listReads.mock.calls.length;
    await act(async () => teamJobs?.error([{ message: 'Too many open subscriptions', extensions: { code: 'RATE_LIMITED' } }]));
    await wait(0);
    expect(listReads).toHaveBeenCalledTimes(before + 1); // at once
    return before + 1;
  }

  it('reads the newest jobs every HISTORY_POLL_MS while the teamJobs stream is refused, so a finished job shows as finished', async () => {
    // Regression: a refused teamJobs stream left every running job shown as running until a reload.
    const reads = await openWithRefusedStream();
    finished = true;
    await wait(HISTORY_POLL_MS);
    expect(listReads).toHaveBeenCalledTimes(reads + 1);
    expect(screen.getByRole('listitem', { name: 'cat.jpg' }).textContent).toMatch(/Succeeded/);
    // The newest page carried it: no job was read one by one.
    expect(jobReads).not.toHaveBeenCalled();
  });

  it('lists a job a teammate starts while the stream is refused at the next poll, on top', async () => {
    // Regression: the fallback re-read only the jobs already shown, so a new one appeared only after a reload.
    await openWithRefusedStream();
    teammates = [aHistoryJob('c0ffee00-0000-4000-8000-000000000002', { filename: 'dog.jpg', createdAt: '2026-12-02T05:01:00.000Z' })];
    await wait(HISTORY_POLL_MS);
    const items = within(screen.getByRole('list', { name: 'Jobs' })).getAllByRole('listitem');
    expect(items.map((item) => item.querySelector('h2')?.textContent)).toEqual(['dog.jpg', 'cat.jpg']);
  });
});
