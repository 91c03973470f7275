/** @jest-environment jsdom */
import { act, fireEvent, render, screen } from '@testing-library/react';
import { ApiError } from '../graphql/errors';
import { CANCELING_REASON, useCancel } from './cancel';

/** The same wiring as the card's and the History row's Cancel button. */
function CancelProbe({ request, onDone }: { request: () => Promise<string>; onDone: (value: string) => void }) {
  const { cancel, canceling, error } = useCancel(request, onDone);
  return (
    <div>
      <button type="button" onClick={() => void cancel()} disabled={canceling} aria-describedby={canceling ? 'reason' : undefined}>
        {canceling ? 'Canceling…' : 'Cancel'}
      </button>
      {canceling && <span id="reason">{CANCELING_REASON}</span>}
      {error && <p role="alert">{error.text}</p>}
    </div>
  );
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('useCancel', () => {
  it('is disabled with its reason while the request is in flight, sends one request, and hands over the answer', async () => {
    const answer = deferred<string>();
    const request = jest.fn(() => answer.promise);
    const onDone = jest.fn();
    render(<CancelProbe request={request} onDone={onDone} />);

    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    const busy = screen.getByRole('button', { name: 'Canceling…' });
    expect(busy).toHaveProperty('disabled', true);
    expect(document.getElementById(busy.getAttribute('aria-describedby') ?? '')?.textContent).toBe(CANCELING_REASON);
    fireEvent.click(busy);
    expect(request).toHaveBeenCalledTimes(1);

    await act(async () => answer.resolve('canceled job'));
    expect(onDone).toHaveBeenCalledWith('canceled job');
    expect(screen.getByRole('button', { name: 'Cancel' })).toHaveProperty('disabled', false);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says why it failed as a sentence and can be tried again', async () => {
    const failure = deferred<string>();
    const again = deferred<string>();
    const request = jest.fn<Promise<string>, []>().mockReturnValueOnce(failure.promise).mockReturnValueOnce(again.promise);
    const onDone = jest.fn();
    render(<CancelProbe request={request} onDone={onDone} />);

    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await act(async () => failure.reject(new ApiError('The job has already finished (SUCCEEDED).', 'CONFLICT')));
    expect(screen.getByRole('alert').textContent).toBe('The job has already finished (SUCCEEDED).');
    expect(onDone).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getByRole('button', { name: 'Canceling…' })).toHaveProperty('disabled', true);
    expect(screen.queryByRole('alert')).toBeNull();
    await act(async () => again.resolve('canceled job'));
    expect([request.mock.calls.length, onDone.mock.calls]).toEqual([2, [['canceled job']]]);
  });
});
