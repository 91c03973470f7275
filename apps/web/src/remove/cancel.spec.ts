import { CANCELABLE_STATUSES, isCancelable, isCardCancelable } from './cancel';
import { cardReducer, initialCardState, type CardAction, type CardState } from './progress';

const run = (actions: CardAction[]) => actions.reduce(cardReducer, initialCardState);
const job = (status: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED', extra = {}) => ({
  id: 'j1',
  status,
  stage: 'QUEUED' as const,
  progress: 0,
  ...extra,
});
const submitted = (status: Parameters<typeof job>[0]): CardAction => ({ type: 'submitted', job: job(status) });

describe('which jobs can be canceled', () => {
  it('accepts only queued and running jobs', () => {
    expect(CANCELABLE_STATUSES).toEqual(['QUEUED', 'RUNNING']);
    expect((['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELED'] as const).map(isCancelable)).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('offers Cancel on a card only once its job exists and while it is queued or running', () => {
    const phases: Array<[string, CardState, boolean]> = [
      ['ready', initialCardState, false],
      ['uploading', run([{ type: 'upload-started' }]), false],
      ['submitting', run([{ type: 'upload-started' }, { type: 'uploaded' }]), false],
      ['queued', run([{ type: 'upload-started' }, { type: 'uploaded' }, submitted('QUEUED')]), true],
      ['running', run([{ type: 'upload-started' }, { type: 'uploaded' }, submitted('RUNNING')]), true],
      ['succeeded', run([{ type: 'upload-started' }, { type: 'uploaded' }, submitted('SUCCEEDED')]), false],
      ['failed', run([{ type: 'upload-started' }, { type: 'failed', error: { code: 'NETWORK', message: '' } }]), false],
      ['canceled', run([{ type: 'upload-started' }, { type: 'uploaded' }, submitted('CANCELED')]), false],
    ];
    for (const [phase, state, expected] of phases) {
      expect([phase, state.phase, isCardCancelable(state)]).toEqual([phase, phase, expected]);
    }
  });

  it('shows the canceled state from the cancelJob answer, with the refund sentence code, and ignores later events', () => {
    const queued = run([{ type: 'upload-started' }, { type: 'uploaded' }, submitted('QUEUED')]);
    const canceled = cardReducer(queued, {
      type: 'job-event',
      job: job('CANCELED', { error: { code: 'CANCELED', message: 'Canceled by the team.' } }),
    });
    expect([canceled.phase, canceled.error?.code, isCardCancelable(canceled)]).toEqual(['canceled', 'CANCELED', false]);
    // A late RUNNING event from the subscription does not bring the card back.
    expect(cardReducer(canceled, { type: 'job-event', job: job('RUNNING', { progress: 0.5 }) })).toBe(canceled);
  });
});
