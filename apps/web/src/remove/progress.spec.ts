import { cardReducer, describeCard, initialCardState, UPLOAD_SHARE, type CardAction, type CardState } from './progress';

const run = (actions: CardAction[], from: CardState = initialCardState) => actions.reduce(cardReducer, from);
const job = (status: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED', stage: string, progress: number, extra = {}) => ({
  jobId: 'j1',
  status,
  stage: stage as never,
  progress,
  ...extra,
});

describe('cardReducer', () => {
  it('fills the upload share while uploading, then follows the job to 100 %', () => {
    let state = run([{ type: 'upload-started' }, { type: 'upload-progress', fraction: 0.5 }]);
    expect(state.phase).toBe('uploading');
    expect(state.progress).toBeCloseTo(UPLOAD_SHARE / 2);
    state = run([{ type: 'uploaded' }, { type: 'submitted', job: { ...job('QUEUED', 'QUEUED', 0), jobId: undefined, id: 'j1' } }], state);
    expect(state).toMatchObject({ phase: 'queued', jobId: 'j1', progress: UPLOAD_SHARE });
    expect(describeCard(state)).toBe('Waiting in the queue');
    state = cardReducer(state, { type: 'job-event', job: job('RUNNING', 'INFERENCE', 0.4) });
    expect(state.phase).toBe('running');
    expect(state.progress).toBeCloseTo(UPLOAD_SHARE + (1 - UPLOAD_SHARE) * 0.4);
    expect(describeCard(state)).toBe('Finding the subject');
    state = cardReducer(state, { type: 'job-event', job: job('SUCCEEDED', 'STORED', 1, { resultUrl: 'http://x/downloads/j1' }) });
    expect(state).toMatchObject({ phase: 'succeeded', progress: 1, resultUrl: 'http://x/downloads/j1', error: undefined });
    expect(describeCard(state)).toBe('Done');
  });

  it('moves the bar during inference and never backwards on a late, older event', () => {
    const base = run([{ type: 'upload-started' }, { type: 'uploaded' }, { type: 'submitted', job: job('QUEUED', 'QUEUED', 0) }]);
    const a = cardReducer(base, { type: 'job-event', job: job('RUNNING', 'INFERENCE', 0.3) });
    const b = cardReducer(a, { type: 'job-event', job: job('RUNNING', 'INFERENCE', 0.6) });
    expect(b.progress).toBeGreaterThan(a.progress);
    const late = cardReducer(b, { type: 'job-event', job: job('RUNNING', 'DECODED', 0.1) });
    expect(late).toBe(b);
  });

  it('ignores events of another job and anything after a final state', () => {
    const base = run([{ type: 'upload-started' }, { type: 'uploaded' }, { type: 'submitted', job: job('QUEUED', 'QUEUED', 0) }]);
    expect(cardReducer(base, { type: 'job-event', job: { ...job('RUNNING', 'INFERENCE', 0.9), jobId: 'other' } })).toBe(base);
    const done = cardReducer(base, { type: 'job-event', job: job('SUCCEEDED', 'STORED', 1, { resultUrl: 'u' }) });
    expect(cardReducer(done, { type: 'job-event', job: job('RUNNING', 'INFERENCE', 0.5) })).toBe(done);
    expect(cardReducer(done, { type: 'failed', error: { code: 'NETWORK', message: '' } })).toBe(done);
  });

  it('keeps the error of a failed job and the progress it had reached', () => {
    const base = run([{ type: 'upload-started' }, { type: 'uploaded' }, { type: 'submitted', job: job('RUNNING', 'INFERENCE', 0.5) }]);
    const failed = cardReducer(base, {
      type: 'job-event',
      job: job('FAILED', 'INFERENCE', 0.5, { error: { code: 'INFERENCE_TIMEOUT', message: 'slow' } }),
    });
    expect(failed).toMatchObject({ phase: 'failed', error: { code: 'INFERENCE_TIMEOUT', message: 'slow' }, progress: base.progress });
    const canceled = cardReducer(base, { type: 'job-event', job: job('CANCELED', 'INFERENCE', 0.5) });
    expect(canceled).toMatchObject({ phase: 'canceled', error: { code: 'CANCELED' } });
  });

  it('fails before a job exists (e.g. the upload was refused) and can start over', () => {
    const failed = run([{ type: 'upload-started' }, { type: 'failed', error: { code: 'IMAGE_TOO_LARGE', message: 'too big' } }]);
    expect(failed).toMatchObject({ phase: 'failed', jobId: undefined, error: { code: 'IMAGE_TOO_LARGE' } });
    expect(cardReducer(failed, { type: 'upload-started' })).toMatchObject({ phase: 'uploading', progress: 0, error: undefined });
    expect(cardReducer(failed, { type: 'upload-progress', fraction: 1 })).toBe(failed);
  });

  it('takes a fresh result link only for a succeeded card', () => {
    const done = run([{ type: 'job-event', job: job('SUCCEEDED', 'STORED', 1, { resultUrl: '/results/j1?expires=1' }) }]);
    expect(cardReducer(done, { type: 'result-link', resultUrl: '/results/j1?expires=2' })).toMatchObject({
      phase: 'succeeded',
      resultUrl: '/results/j1?expires=2',
    });
    const running = run([{ type: 'job-event', job: job('RUNNING', 'INFERENCE', 0.5) }]);
    expect(cardReducer(running, { type: 'result-link', resultUrl: '/results/j1?expires=2' })).toBe(running);
  });
});
