/** @jest-environment jsdom */
import { act, fireEvent, render, screen, within } from '@testing-library/react';
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
/** A job created `minute` minutes into the day (its id sorts with it). */
const jobAt = (minute: number) =>
  aHistoryJob(`c0ffee00-0000-4000-8000-${String(minute).padStart(12, '0')}`, {
    filename: `job-${minute}.jpg`,
    createdAt: new Date(Date.UTC(2026, 11, 2, 0, minute)).toISOString(),
  });

/**
 * The server's answers by operation (the HTTP boundary: fetch). `serverJobs`: the team's jobs, newest first,
 * paged by keyset (the cursor is the last job's id); the cat job runs until `finished`.
 */
let finished = false;
let serverJobs: ReturnType<typeof aHistoryJob>[] = [];
/** While set, a "Load more" (a page after a cursor) waits for it. */
let holdOlderPages: Promise<void> | undefined;
const listReads = jest.fn();
const jobReads = jest.fn();
const cat = () => (finished ? aJob('SUCCEEDED', 1) : aJob('RUNNING', 0.6));
async function answer(operation: string, variables: Record<string, unknown>): Promise<unknown> {
  switch (operation) {
    case 'Me':
      return { me: { id: 'u1', email: 'a@example.com', emailVerified: true, isPlatformAdmin: false, mustAcceptPolicy: false } };
    case 'ConsentState':
      return { consent: null, policy: { version: '2026-11-30' } };
    case 'Teams':
      return { teams: { edges: [{ node: { id: 't1', name: 'Mine', personal: true, viewerRole: 'OWNER' } }] } };
    case 'HistoryJobs': {
      listReads();
      const { first, after } = variables as { first: number; after: string | null };
      if (after && holdOlderPages) await holdOlderPages;
      const all = serverJobs.map((job) => (job.id === CAT ? cat() : job));
      const from = after ? all.findIndex((job) => job.id === after) + 1 : 0;
      const page = all.slice(from, from + first);
      return {
        jobs: {
          edges: page.map((node) => ({ node })),
          pageInfo: { endCursor: page.at(-1)?.id ?? null, hasNextPage: from + first < all.length },
        },
      };
    }
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
    serverJobs = [aJob('RUNNING', 0.4)];
    holdOlderPages = undefined;
    listReads.mockClear();
    jobReads.mockClear();
    resetSubscriptions();
    globalThis.fetch = jest.fn(async (_url: unknown, init?: { body?: string }) => {
      const { query, variables } = JSON.parse(init?.body ?? '{}') as { query: string; variables?: Record<string, unknown> };
      const operation = /^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? '';
      const data = await answer(operation, variables ?? {});
      return { status: 200, json: async () => ({ data }) };
    }) as unknown as typeof fetch;
  });
  afterEach(() => jest.useRealTimers());

  const wait = (ms: number) => act(async () => void (await jest.advanceTimersByTimeAsync(ms)));
  const shownNames = () =>
    within(screen.getByRole('list', { name: 'Jobs' }))
      .getAllByRole('listitem')
      .map((item) => item.querySelector('h2')?.textContent);

  async function openPage() {
    render(
      <SessionProvider>
        <HistoryPage />
      </SessionProvider>,
    );
    await wait(0);
    await wait(0);
  }

  /** The page's teamJobs stream is refused; the catch-up that follows at once is awaited. Returns the list reads so far. */
  async function refuseStream() {
    const teamJobs = sinks.at(-1);
    expect(teamJobs).toBeDefined();
    const before = listReads.mock.calls.length;
    await act(async () => teamJobs?.error([{ message: 'Too many open subscriptions', extensions: { code: 'RATE_LIMITED' } }]));
    await wait(0);
    expect(listReads.mock.calls.length).toBeGreaterThan(before); // at once
    return listReads.mock.calls.length;
  }

  it('reads its jobs again every HISTORY_POLL_MS while the teamJobs stream is refused, so a finished job shows as finished', async () => {
    // Regression: a refused teamJobs stream left every running job shown as running until a reload.
    await openPage();
    expect(screen.getByRole('listitem', { name: 'cat.jpg' }).textContent).toMatch(/Running/);
    const reads = await refuseStream();
    finished = true;
    await wait(HISTORY_POLL_MS);
    expect(listReads).toHaveBeenCalledTimes(reads + 1);
    expect(screen.getByRole('listitem', { name: 'cat.jpg' }).textContent).toMatch(/Succeeded/);
    // The list read carried it: no job was read one by one.
    expect(jobReads).not.toHaveBeenCalled();
  });

  it('lists a job a teammate starts while the stream is refused at the next poll, on top', async () => {
    // Regression: the fallback re-read only the jobs already shown, so a new one appeared only after a reload.
    await openPage();
    await refuseStream();
    serverJobs = [
      aHistoryJob('c0ffee00-0000-4000-8000-000000000002', { filename: 'dog.jpg', createdAt: '2026-12-02T05:01:00.000Z' }),
      ...serverJobs,
    ];
    await wait(HISTORY_POLL_MS);
    expect(shownNames()).toEqual(['dog.jpg', 'cat.jpg']);
  });

  it('catches up once per socket reset, not again at every later change of the filter', async () => {
    // Regression (review): after one reset, each filter change read the list twice (the load and a catch-up).
    await openPage();
    const beforeReset = listReads.mock.calls.length;
    await act(async () => resetSubscriptions());
    await wait(0);
    expect(listReads).toHaveBeenCalledTimes(beforeReset + 1);
    await act(async () => fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'FAILED' } }));
    await wait(0);
    expect(listReads).toHaveBeenCalledTimes(beforeReset + 2);
  });

  it('loses no job when a catch-up replaces the list while "Load more" is on its way', async () => {
    // Regression (review): the older page was appended to the replaced list, and 25 jobs could no longer be reached.
    serverJobs = Array.from({ length: 40 }, (_, k) => jobAt(100 - k));
    await openPage();
    expect(shownNames()).toHaveLength(20);
    let release = () => undefined as void;
    holdOlderPages = new Promise<void>((resolve) => (release = resolve));
    await act(async () => screen.getByRole('button', { name: 'Load more' }).click());
    // 25 jobs start meanwhile and the stream is refused: the catch-up reads the newest 20 again.
    serverJobs = [...Array.from({ length: 25 }, (_, k) => jobAt(200 - k)), ...serverJobs];
    await refuseStream();
    holdOlderPages = undefined;
    await act(async () => release());
    await wait(0);
    for (let clicks = 0; clicks < 5 && screen.queryByRole('button', { name: 'Load more' }); clicks++) {
      await act(async () => screen.getByRole('button', { name: 'Load more' }).click());
      await wait(0);
    }
    expect(shownNames()).toEqual(serverJobs.map((job) => job.filename));
  });
});
