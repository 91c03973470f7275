/** @jest-environment jsdom */
import { act, render, screen } from '@testing-library/react';
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
