/** @jest-environment jsdom */
import { act, fireEvent, render, screen } from '@testing-library/react';
import { fakeSinks as sinks } from '../graphql/graphql-ws.fake';
import { JobCard, type ImageItem } from './job-card';
import { takeUploadSlot, UPLOAD_CONCURRENCY } from './upload-slots';

/** The browser's PUTs (the HTTP boundary): each one waits until the test ends it. */
class FakeXhr {
  static sent: FakeXhr[] = [];
  upload: { onprogress?: (event: ProgressEvent) => void } = {};
  status = 0;
  responseText = '';
  onload?: () => void;
  onerror?: () => void;
  onabort?: () => void;
  aborted = false;
  url = '';
  open(_method: string, url: string) {
    this.url = url;
  }
  setRequestHeader() {
    return undefined;
  }
  send() {
    FakeXhr.sent.push(this);
  }
  finish() {
    this.status = 200;
    this.onload?.();
  }
  abort() {
    this.aborted = true;
    this.onabort?.();
  }
}

/** The API's answers by operation (fetch): an upload URL per createUpload, then a queued job that never moves. */
const createUploads: string[] = [];
type Variables = { input: { filename: string; uploadId: string }; id: string };
function answer(operation: string, variables: Variables): unknown {
  if (operation === 'CreateUpload') {
    const id = `u${createUploads.push(variables.input.filename)}`;
    return { createUpload: { id, uploadUrl: `/uploads/${id}?sig=x`, expiresAt: '2026-12-02T06:00:00.000Z' } };
  }
  if (operation === 'RemoveBackground')
    return {
      removeBackground: {
        id: `job-${variables.input.uploadId}`,
        status: 'QUEUED',
        stage: 'QUEUED',
        progress: 0,
        resultUrl: null,
        error: null,
      },
    };
  if (operation === 'JobProgress')
    return { job: { id: variables.id, status: 'QUEUED', stage: 'QUEUED', progress: 0, resultUrl: null, error: null } };
  throw new Error(`no answer for ${operation}`);
}

jest.mock('graphql-ws', () =>
  jest.requireActual<typeof import('../graphql/graphql-ws.fake')>('../graphql/graphql-ws.fake').fakeGraphqlWs(),
);

const anItem = (i: number): ImageItem => ({
  key: `k${i}`,
  file: new File(['x'], `photo-${i}.png`, { type: 'image/png' }),
  previewUrl: `blob:${i}`,
  run: { teamId: 't1', options: {}, attempt: 1, idempotencyKey: `k${i}-1` },
});

describe('uploads of a batch', () => {
  beforeEach(() => {
    FakeXhr.sent = [];
    createUploads.length = 0;
    globalThis.XMLHttpRequest = FakeXhr as unknown as typeof XMLHttpRequest;
    globalThis.fetch = jest.fn(async (_url: unknown, init?: { body?: string }) => {
      const { query, variables } = JSON.parse(init?.body ?? '{}') as { query: string; variables: Variables };
      const operation = /^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? '';
      return { status: 200, json: async () => ({ data: answer(operation, variables) }) };
    }) as unknown as typeof fetch;
  });
  const settle = () => act(async () => void (await new Promise((r) => setTimeout(r, 20))));

  it(`uploads ${UPLOAD_CONCURRENCY} photos at once and asks for the next one's URL only when one is done`, async () => {
    // Regression: a batch asked for every upload URL at once; on a slow line the later ones expired
    // (UPLOAD_URL_TTL_SECONDS) while their PUTs waited in the browser's queue.
    render(
      <ul>
        {[1, 2, 3, 4, 5].map((i) => (
          <JobCard key={i} item={anItem(i)} cost={1} onRemove={() => undefined} onRetry={() => undefined} />
        ))}
      </ul>,
    );
    await settle();
    expect(createUploads).toEqual(['photo-1.png', 'photo-2.png', 'photo-3.png']);
    expect(FakeXhr.sent).toHaveLength(3);
    expect(screen.getAllByText(/^Waiting to upload/)).toHaveLength(2);

    await act(async () => FakeXhr.sent[1].finish());
    await settle();
    expect(createUploads).toEqual(['photo-1.png', 'photo-2.png', 'photo-3.png', 'photo-4.png']);
    expect(FakeXhr.sent).toHaveLength(4);

    for (const xhr of FakeXhr.sent) await act(async () => xhr.finish());
    await settle();
    expect(createUploads).toHaveLength(5);
    await act(async () => FakeXhr.sent[4].finish());
    await settle();
    expect(screen.queryAllByText(/^Waiting to upload/)).toHaveLength(0);
  });

  it('stops the upload of a card that leaves the page, so its slot goes to the next photo at once', async () => {
    // Found in review: an abandoned PUT went on, holding its slot, while the cards shown again waited behind it.
    const items = new Map([1, 2, 3, 4].map((i) => [i, anItem(i)]));
    const cards = (shown: number[]) => (
      <ul>
        {shown.map((i) => (
          <JobCard key={i} item={items.get(i) as ImageItem} cost={1} onRemove={() => undefined} onRetry={() => undefined} />
        ))}
      </ul>
    );
    const { rerender, unmount } = render(cards([1, 2, 3, 4]));
    await settle();
    expect(createUploads).toEqual(['photo-1.png', 'photo-2.png', 'photo-3.png']);
    rerender(cards([2, 3, 4]));
    await settle();
    expect(FakeXhr.sent[0].aborted).toBe(true);
    expect(createUploads).toEqual(['photo-1.png', 'photo-2.png', 'photo-3.png', 'photo-4.png']);
    unmount();
    await settle();
    expect(FakeXhr.sent.every((xhr) => xhr.aborted)).toBe(true);
  });

  it('shows a card whose attempt failed before its job existed as it was when the page was left, without running it again', async () => {
    // Found in review: coming back re-ran it (upload, then removeBackground): after buying credits, every INSUFFICIENT_CREDITS card was charged.
    const failed = {
      attempt: 1,
      state: {
        phase: 'failed' as const,
        stage: undefined,
        progress: 0.15,
        jobId: undefined,
        resultUrl: undefined,
        error: { code: 'INSUFFICIENT_CREDITS', message: 'Not enough credits' },
      },
    };
    render(
      <ul>
        <JobCard item={anItem(1)} cost={1} onRemove={() => undefined} onRetry={() => undefined} resume={failed} />
      </ul>,
    );
    await settle();
    expect(createUploads).toEqual([]);
    expect(FakeXhr.sent).toHaveLength(0);
    screen.getByRole('button', { name: 'Try again' });
  });

  it('stops a running card whose job can no longer be read (NOT_FOUND): it says so, offers no Cancel, and can be removed', async () => {
    // Regression: the card read job(id) for ever, stuck at its last stage with a Cancel that failed and no Remove button.
    const running = {
      attempt: 1,
      state: {
        phase: 'running' as const,
        stage: 'INFERENCE' as const,
        progress: 0.5,
        jobId: 'job-gone',
        resultUrl: undefined,
        error: undefined,
      },
    };
    globalThis.fetch = jest.fn(async () => ({
      status: 200,
      json: async () => ({ data: null, errors: [{ message: 'Not found', extensions: { code: 'NOT_FOUND' } }] }),
    })) as unknown as typeof fetch;
    render(
      <ul>
        <JobCard item={anItem(1)} cost={1} onRemove={() => undefined} onRetry={() => undefined} resume={running} />
      </ul>,
    );
    await settle();
    // Its stream fails too (the team is gone): the job is read, and the read says NOT_FOUND.
    await act(async () => sinks.at(-1)?.error([{ message: 'Not found', extensions: { code: 'NOT_FOUND' } }]));
    await settle();
    expect(screen.getByRole('alert').textContent).toBe('We could not find that. It may have been deleted.');
    expect(screen.queryByRole('button', { name: /^Cancel/ })).toBeNull();
    screen.getByRole('button', { name: 'Remove photo-1.png from the list' });
    // Not "Failed", and no Try again (review): the job may still run and be charged; trying again would pay twice.
    screen.getByText(/^No longer followed/);
    expect(screen.queryByText(/^Failed/)).toBeNull();
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
  });

  it('hands slots out first come, first served, and a slot released twice frees one place', async () => {
    const held = await Promise.all(Array.from({ length: UPLOAD_CONCURRENCY }, () => takeUploadSlot()));
    const order: number[] = [];
    const next = [1, 2].map((n) => takeUploadSlot().then((release) => (order.push(n), release)));
    held[0]();
    held[0]();
    const first = await next[0];
    await new Promise((r) => setTimeout(r, 0));
    expect(order).toEqual([1]);
    held[1]();
    const second = await next[1];
    expect(order).toEqual([1, 2]);
    for (const release of [first, second, held[2]]) release();
  });
});

describe('a finished card’s result link', () => {
  /** Signed links as the API writes them (url-signer.ts): `expires` in Unix seconds. */
  const linkOf = (jobId: string, expiresMs: number, signature: string) =>
    `/results/${jobId}?expires=${Math.floor(expiresMs / 1000)}&by=s1&signature=${signature}`;
  const HOUR = 3_600_000;
  const succeeded = (resultUrl: string) => ({
    attempt: 1,
    state: { phase: 'succeeded' as const, stage: 'STORED' as const, progress: 1, jobId: 'job-1', resultUrl, error: undefined },
  });
  /** The API's job(id) { resultUrl } (fetch), and the downloads started through a hidden link. */
  let asked: string[] = [];
  let downloads: { href: string; download: string }[] = [];
  let resultExpired = false;
  beforeEach(() => {
    asked = [];
    downloads = [];
    resultExpired = false;
    globalThis.fetch = jest.fn(async (_url: unknown, init?: { body?: string }) => {
      const { query, variables } = JSON.parse(init?.body ?? '{}') as { query: string; variables: { id: string } };
      const operation = /^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? '';
      if (operation !== 'ResultUrl') throw new Error(`no answer for ${operation}`);
      asked.push(variables.id);
      const job = resultExpired
        ? { id: variables.id, status: 'SUCCEEDED', resultUrl: null, resultExpired: true }
        : { id: variables.id, status: 'SUCCEEDED', resultUrl: linkOf(variables.id, Date.now() + HOUR, 'fresh'), resultExpired: false };
      return { status: 200, json: async () => ({ data: { job } }) };
    }) as unknown as typeof fetch;
    jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      downloads.push({ href: this.getAttribute('href') ?? '', download: this.download });
    });
  });
  afterEach(() => jest.restoreAllMocks());
  const settle = () => act(async () => void (await new Promise((r) => setTimeout(r, 20))));
  const card = (resume: ReturnType<typeof succeeded>, onExpired?: (jobId: string) => void) => (
    <ul>
      <JobCard item={anItem(1)} cost={1} onRemove={() => undefined} onRetry={() => undefined} onExpired={onExpired} resume={resume} />
    </ul>
  );

  it('asks for a fresh link when Download is clicked, and downloads through that one', async () => {
    // Found in review: Download used the link from when the job succeeded; an hour later it had expired and the download failed silently.
    render(card(succeeded(linkOf('job-1', Date.now() + 10 * 60_000, 'old'))));
    await settle();
    expect(asked).toEqual([]);
    const link = screen.getByRole('link', { name: 'Download' });
    const clicked = fireEvent.click(link);
    await settle();
    expect(clicked).toBe(false); // the old link itself is not followed
    expect(asked).toEqual(['job-1']);
    expect(downloads).toHaveLength(1);
    expect(downloads[0]).toEqual({ href: expect.stringContaining('signature=fresh'), download: 'photo-1-cutout.png' });
  });

  it('renews the dead link of a card shown again before showing its result', async () => {
    // Found in review: a card restored from the session after an hour showed a broken preview.
    render(card(succeeded(linkOf('job-1', Date.now() - 60_000, 'old'))));
    expect(screen.queryByRole('img', { name: 'photo-1.png: background removed' })).toBeNull();
    await settle();
    expect(asked).toEqual(['job-1']);
    const after = screen.getByRole('img', { name: 'photo-1.png: background removed' });
    expect(after.getAttribute('src')).toContain('signature=fresh');
  });

  it('tells the page when the result was deleted meanwhile, and downloads nothing', async () => {
    const onExpired = jest.fn();
    render(card(succeeded(linkOf('job-1', Date.now() + HOUR, 'old')), onExpired));
    resultExpired = true;
    fireEvent.click(screen.getByRole('link', { name: 'Download' }));
    await settle();
    expect(onExpired).toHaveBeenCalledWith('job-1');
    expect(downloads).toEqual([]);
  });
});
