import { aHistoryJob as job } from './history-job.fixture';
import { addLiveJob, appendPage, applyEvent, emptyHistory, optionsSummary, withFreshRange, type JobEvent } from './history-state';

const event = (jobId: string, patch: Partial<JobEvent> = {}): JobEvent => ({
  jobId,
  teamId: 't',
  status: 'RUNNING',
  stage: 'INFERENCE',
  progress: 0.5,
  resultUrl: null,
  error: null,
  ...patch,
});

describe('history state', () => {
  it('appends pages in order and skips jobs already shown', () => {
    const first = appendPage(emptyHistory, { jobs: [job('a'), job('b')], endCursor: 'c2', hasNextPage: true });
    const second = appendPage(first, { jobs: [job('b'), job('c')], endCursor: 'c3', hasNextPage: false });
    expect(second.jobs.map((j) => j.id)).toEqual(['a', 'b', 'c']);
    expect([second.endCursor, second.hasNextPage]).toEqual(['c3', false]);
  });

  it('applies an event to a shown job and keeps what the event does not carry', () => {
    const state = appendPage(emptyHistory, { jobs: [job('a', { inputUrl: '/in' })], endCursor: 'c1', hasNextPage: false });
    const next = applyEvent(state, event('a', { status: 'SUCCEEDED', stage: 'STORED', progress: 1, resultUrl: '/out' }), null);
    expect(next?.jobs[0]).toMatchObject({ status: 'SUCCEEDED', stage: 'STORED', progress: 1, resultUrl: '/out', inputUrl: '/in' });
    expect(applyEvent(state, event('unknown'), null)).toBeUndefined();
  });

  it('adds a new live job at the top (newest first), also while older pages are unloaded', () => {
    const at = (minute: number) => `2026-11-30T10:${String(minute).padStart(2, '0')}:00.000Z`;
    const partial = appendPage(emptyHistory, {
      jobs: [job('b', { createdAt: at(2) }), job('a', { createdAt: at(1) })],
      endCursor: 'c1',
      hasNextPage: true,
    });
    const live = addLiveJob(partial, job('n', { createdAt: at(3) }), null);
    expect(live.jobs.map((j) => j.id)).toEqual(['n', 'b', 'a']);
    // Loading the older page afterwards neither repeats nor loses a job.
    const all = appendPage(live, { jobs: [job('o', { createdAt: at(0) })], endCursor: 'c2', hasNextPage: false });
    expect(all.jobs.map((j) => j.id)).toEqual(['n', 'b', 'a', 'o']);
  });

  it('puts a live job from the loaded range in its place, and leaves an older one to "Load more"', () => {
    const at = (minute: number) => `2026-11-30T10:${String(minute).padStart(2, '0')}:00.000Z`;
    const partial = appendPage(emptyHistory, {
      jobs: [job('c', { createdAt: at(5) }), job('a', { createdAt: at(3) })],
      endCursor: 'c1',
      hasNextPage: true,
    });
    expect(addLiveJob(partial, job('b', { createdAt: at(4) }), null).jobs.map((j) => j.id)).toEqual(['c', 'b', 'a']);
    // The same instant: the larger id first, as the API orders them.
    expect(addLiveJob(partial, job('b', { createdAt: at(3) }), null).jobs.map((j) => j.id)).toEqual(['c', 'b', 'a']);
    expect(addLiveJob(partial, job('o', { createdAt: at(1) }), null)).toBe(partial);
    const all = { ...partial, hasNextPage: false };
    expect(addLiveJob(all, job('o', { createdAt: at(1) }), null).jobs.map((j) => j.id)).toEqual(['c', 'a', 'o']);
  });

  it('replaces a shown job with its fresh copy and leaves out live jobs outside the status filter', () => {
    const state = appendPage(emptyHistory, { jobs: [job('a')], endCursor: 'c1', hasNextPage: false });
    const replaced = addLiveJob(state, job('a', { status: 'SUCCEEDED', thumbnailUrl: '/thumb' }), null);
    expect(replaced.jobs).toEqual([expect.objectContaining({ id: 'a', thumbnailUrl: '/thumb' })]);
    expect(addLiveJob(state, job('b', { status: 'RUNNING' }), 'FAILED')).toBe(state);
    expect(addLiveJob(state, job('b', { status: 'QUEUED' }), 'QUEUED').jobs.map((j) => j.id)).toEqual(['b', 'a']);
  });

  it('keeps the list to the status filter: a job that leaves the filtered status leaves the list', () => {
    const queued = appendPage(emptyHistory, { jobs: [job('b'), job('a')], endCursor: 'c1', hasNextPage: false });
    // "Queued" selected: a job that starts, or finishes, is no longer listed.
    expect(applyEvent(queued, event('a', { status: 'RUNNING' }), 'QUEUED')?.jobs.map((j) => j.id)).toEqual(['b']);
    expect(applyEvent(queued, event('b', { status: 'SUCCEEDED', stage: 'STORED', progress: 1 }), 'QUEUED')?.jobs.map((j) => j.id)).toEqual([
      'a',
    ]);
    // Its fresh copy (read when it finished) is not added back, nor does it stay.
    const finished = job('a', { status: 'SUCCEEDED', thumbnailUrl: '/thumb' });
    expect(addLiveJob(queued, finished, 'QUEUED').jobs.map((j) => j.id)).toEqual(['b']);
    // "Running" selected: progress keeps the job; finishing removes it.
    const running = appendPage(emptyHistory, { jobs: [job('r', { status: 'RUNNING' })], endCursor: 'c1', hasNextPage: false });
    expect(applyEvent(running, event('r', { progress: 0.7 }), 'RUNNING')?.jobs).toEqual([expect.objectContaining({ progress: 0.7 })]);
    expect(applyEvent(running, event('r', { status: 'FAILED', progress: 1 }), 'RUNNING')?.jobs).toEqual([]);
    // No filter: every status stays.
    expect(applyEvent(queued, event('a', { status: 'SUCCEEDED' }), null)?.jobs.map((j) => j.status)).toEqual(['QUEUED', 'SUCCEEDED']);
  });

  it('replaces the list with its loaded range read again; a capped read keeps the older shown jobs after it', () => {
    const at = (minute: number) => `2026-11-30T10:${String(minute).padStart(2, '0')}:00.000Z`;
    const shown = appendPage(emptyHistory, {
      jobs: [job('c', { createdAt: at(3), status: 'RUNNING' }), job('b', { createdAt: at(2) }), job('a', { createdAt: at(1) })],
      endCursor: 'a',
      hasNextPage: true,
    });
    // Read again in full: n started, c finished, b was deleted. The list is the fresh range, paged from its end.
    const fresh = {
      jobs: [job('n', { createdAt: at(4) }), job('c', { createdAt: at(3), status: 'SUCCEEDED' }), job('a', { createdAt: at(1) })],
      endCursor: 'a2',
      hasNextPage: true,
    };
    const replaced = withFreshRange(shown, fresh, false);
    expect(replaced.jobs.map((j) => [j.id, j.status])).toEqual([
      ['n', 'QUEUED'],
      ['c', 'SUCCEEDED'],
      ['a', 'QUEUED'],
    ]);
    expect([replaced.endCursor, replaced.hasNextPage]).toEqual(['a2', true]);
    // Capped (fewer than shown, more on the server): the older shown jobs follow, and the list keeps its own place.
    const capped = withFreshRange(
      shown,
      { jobs: [job('n', { createdAt: at(4) }), job('c', { createdAt: at(3) })], endCursor: 'c', hasNextPage: true },
      true,
    );
    expect(capped.jobs.map((j) => j.id)).toEqual(['n', 'c', 'b', 'a']);
    expect([capped.endCursor, capped.hasNextPage]).toEqual(['a', true]);
  });
});

describe('optionsSummary', () => {
  const plain = job('a').options;
  it('names a job’s result, size and format in words, and only the options that differ from the defaults', () => {
    expect(optionsSummary({ ...plain, size: 'full' })).toBe('Cut-out, full size, PNG');
    expect(optionsSummary(plain)).toBe('Cut-out, preview size, PNG');
    expect(optionsSummary({ ...plain, size: '2.5', format: 'WEBP' })).toBe('Cut-out, at most 2.5 MP, WebP');
  });
  it('says high quality (the job cost twice), a background, crop, refine and colours kept', () => {
    expect(
      optionsSummary({
        ...plain,
        size: 'full',
        format: 'JPG',
        mode: 'HIGH',
        bgColor: '#FFFFFF',
        crop: true,
        refine: true,
        decontaminate: false,
      }),
    ).toBe('Cut-out, full size, JPG, high quality, on #ffffff, cropped, refined edges, edge colours kept');
  });
  it('leaves out what a mask ignores (background, edge colours)', () => {
    expect(optionsSummary({ ...plain, type: 'MASK', mode: 'HIGH', bgColor: '#000000', decontaminate: false })).toBe(
      'Mask, preview size, PNG, high quality',
    );
  });
});
