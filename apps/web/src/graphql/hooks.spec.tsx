/** @jest-environment jsdom */
import { act, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { resetSubscriptions } from './client';
import { usePollWhile, useQuery, useSubscription } from './hooks';
import type { TypedDocumentString } from './generated/graphql';

interface FakeSubscription {
  variables: unknown;
  sink: { next(value: unknown): void; error(error: unknown): void; complete(): void };
  ended: boolean;
}

interface FakeSocket {
  subscriptions: FakeSubscription[];
  disposed: boolean;
}

// graphql-ws, faked: every createClient is one socket; dispose ends its subscriptions as the real one does.
const sockets: FakeSocket[] = [];
jest.mock('graphql-ws', () => ({
  createClient: () => {
    const socket: FakeSocket = { subscriptions: [], disposed: false };
    sockets.push(socket);
    return {
      subscribe(payload: { variables: unknown }, sink: FakeSubscription['sink']) {
        const subscription: FakeSubscription = { variables: payload.variables, sink, ended: false };
        socket.subscriptions.push(subscription);
        return () => {
          subscription.ended = true;
        };
      },
      async dispose() {
        socket.disposed = true;
        for (const s of socket.subscriptions)
          if (!s.ended) {
            s.ended = true;
            s.sink.complete();
          }
      },
    };
  },
}));

const BalanceDocument = 'subscription Balance($teamId: ID!) { balance(teamId: $teamId) }' as unknown as TypedDocumentString<
  { balance: number },
  { teamId: string }
>;

function LiveBalance({ teamId }: { teamId: string }) {
  const [balance, setBalance] = useState<number>();
  useSubscription(BalanceDocument, { teamId }, ({ balance: value }) => setBalance(value));
  return <p>balance: {balance ?? '…'}</p>;
}

const open = (socket: FakeSocket | undefined) => socket?.subscriptions.filter((s) => !s.ended) ?? [];

describe('useSubscription', () => {
  beforeEach(() => {
    resetSubscriptions();
    sockets.length = 0;
  });

  it('subscribes again on the new socket after resetSubscriptions() (session.refresh()), with the same variables', async () => {
    const { unmount } = render(<LiveBalance teamId="team-1" />);
    expect(sockets).toHaveLength(1);
    const [first] = open(sockets[0]);
    act(() => first?.sink.next({ data: { balance: 10 } }));
    screen.getByText('balance: 10');

    // The team id does not change: only the socket does (e.g. a role changed on the Team page).
    await act(async () => resetSubscriptions());
    expect(sockets[0]?.disposed).toBe(true);
    expect(open(sockets[0])).toHaveLength(0);
    expect(sockets).toHaveLength(2);
    const again = open(sockets[1]);
    expect(again.map((s) => s.variables)).toEqual([{ teamId: 'team-1' }]);

    // Events on the new socket reach the component.
    act(() => again[0]?.sink.next({ data: { balance: 9.75 } }));
    screen.getByText('balance: 9.75');

    unmount();
    expect(open(sockets[1])).toHaveLength(0);
  });

  it('says its stream is down once refused, and up again on the new socket after a reset', async () => {
    function Status() {
      const down = useSubscription(BalanceDocument, { teamId: 'team-3' }, () => undefined);
      return <p>{down ? 'down' : 'up'}</p>;
    }
    render(<Status />);
    screen.getByText('up');
    act(() => open(sockets[0])[0]?.sink.error([{ message: 'Too many open subscriptions', extensions: { code: 'RATE_LIMITED' } }]));
    screen.getByText('down');
    await act(async () => resetSubscriptions());
    screen.getByText('up');
    act(() => open(sockets[1])[0]?.sink.next({ data: { balance: 1 } }));
    screen.getByText('up');
  });

  it('opens one subscription per reset, not more', async () => {
    render(<LiveBalance teamId="team-2" />);
    await act(async () => resetSubscriptions());
    await act(async () => resetSubscriptions());
    expect(sockets.map((s) => open(s).length)).toEqual([0, 0, 1]);
  });
});

const CreditsDocument = 'query Credits($teamId: ID!) { credits(teamId: $teamId) }' as unknown as TypedDocumentString<
  { credits: number },
  { teamId: string }
>;

describe('useQuery', () => {
  /** The HTTP boundary: every request waits until the test answers it (figures) or fails it (a GraphQL error). */
  let pending: { teamId: string; answer: (credits: number) => void; fail: () => void }[] = [];
  const realFetch = global.fetch;
  beforeEach(() => {
    pending = [];
    global.fetch = jest.fn(
      (_url: string, init?: RequestInit) =>
        new Promise((resolve) => {
          const { variables } = JSON.parse(String(init?.body)) as { variables: { teamId: string } };
          const reply = (body: unknown) => resolve({ status: 200, json: async () => body } as unknown as Response);
          pending.push({
            teamId: variables.teamId,
            answer: (credits) => reply({ data: { credits } }),
            fail: () => reply({ errors: [{ message: 'down', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }),
          });
        }),
    ) as unknown as typeof fetch;
  });
  afterEach(() => {
    global.fetch = realFetch;
  });

  function TeamCredits({ teamId }: { teamId: string }) {
    const { data, error, loading, refetch } = useQuery(CreditsDocument, { teamId });
    return (
      <>
        <p>
          {teamId}: {data ? data.credits : '…'}
          {loading && ' (loading)'}
          {error !== undefined && ' (failed)'}
        </p>
        <button type="button" onClick={() => void refetch()}>
          Reload
        </button>
      </>
    );
  }
  const last = () => pending[pending.length - 1];

  it('answers nothing for new variables until their data arrives, and not the old data when their request fails', async () => {
    // Regression: it kept the previous variables' data while the new ones loaded, so switching teams showed
    // team A's balance under team B's name, and kept it there when B's request failed.
    const { rerender } = render(<TeamCredits teamId="team-a" />);
    await act(async () => last().answer(10));
    screen.getByText('team-a: 10');

    rerender(<TeamCredits teamId="team-b" />);
    screen.getByText('team-b: … (loading)');
    expect(last().teamId).toBe('team-b');
    await act(async () => last().fail());
    screen.getByText('team-b: … (failed)');

    rerender(<TeamCredits teamId="team-a" />);
    screen.getByText('team-a: … (loading)');
    await act(async () => last().answer(7));
    screen.getByText('team-a: 7');
  });

  it('keeps the data of the same variables while it reads them again, and after that read fails', async () => {
    render(<TeamCredits teamId="team-a" />);
    await act(async () => last().answer(10));
    await act(async () => screen.getByRole('button', { name: 'Reload' }).click());
    screen.getByText('team-a: 10 (loading)');
    await act(async () => last().fail());
    screen.getByText('team-a: 10 (failed)');
  });

  it('ignores an answer for the old variables that arrives after the new ones’', async () => {
    const { rerender } = render(<TeamCredits teamId="team-a" />);
    const slow = last();
    rerender(<TeamCredits teamId="team-b" />);
    await act(async () => last().answer(3));
    await act(async () => slow.answer(10));
    screen.getByText('team-b: 3');
  });
});

describe('usePollWhile', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function Poller({ active, read }: { active: boolean; read: () => void }) {
    usePollWhile(active, read, 1000);
    return null;
  }

  it('reads at once when it turns active, then every interval until it turns inactive or unmounts', () => {
    const read = jest.fn();
    const { rerender, unmount } = render(<Poller active={false} read={read} />);
    act(() => void jest.advanceTimersByTime(5000));
    expect(read).not.toHaveBeenCalled();
    rerender(<Poller active read={read} />);
    expect(read).toHaveBeenCalledTimes(1);
    act(() => void jest.advanceTimersByTime(2500));
    expect(read).toHaveBeenCalledTimes(3);
    // A new function (a re-render) does not restart the timer; the newest is the one called.
    const newer = jest.fn();
    rerender(<Poller active read={newer} />);
    act(() => void jest.advanceTimersByTime(500));
    expect([read.mock.calls.length, newer.mock.calls.length]).toEqual([3, 1]);
    rerender(<Poller active={false} read={newer} />);
    act(() => void jest.advanceTimersByTime(5000));
    expect(newer).toHaveBeenCalledTimes(1);
    rerender(<Poller active read={newer} />);
    unmount();
    act(() => void jest.advanceTimersByTime(5000));
    expect(newer).toHaveBeenCalledTimes(2);
  });
});
