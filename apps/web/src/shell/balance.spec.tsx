/** @jest-environment jsdom */
import { act, render, screen } from '@testing-library/react';
import { resetSubscriptions } from '../graphql/client';
import { fakeSinks as sinks } from '../graphql/graphql-ws.fake';
import { BALANCE_POLL_MS, Balance } from './shell';

jest.mock('graphql-ws', () =>
  jest.requireActual<typeof import('../graphql/graphql-ws.fake')>('../graphql/graphql-ws.fake').fakeGraphqlWs(),
);

/** The server's answers to CreditBalance, in turn (the HTTP boundary: fetch). */
let balances: number[] = [];
const reads = jest.fn();

describe('Balance (the header badge)', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    sinks.length = 0;
    resetSubscriptions();
    reads.mockReset();
    globalThis.fetch = jest.fn(async () => {
      reads();
      const available = balances.length > 1 ? balances.shift() : balances[0];
      return { status: 200, json: async () => ({ data: { creditBalance: { available, debt: 0 } } }) };
    }) as unknown as typeof fetch;
  });
  afterEach(() => jest.useRealTimers());

  const settle = () => act(async () => void (await jest.advanceTimersByTimeAsync(0)));

  it('reads the balance at once and then every BALANCE_POLL_MS once its stream is refused', async () => {
    // Regression: a refused stream (too many subscriptions on the socket) left the badge at its first figure until a reload.
    balances = [5, 3, 2];
    render(<Balance teamId="t1" />);
    await settle();
    expect(screen.getByText('5 credits')).toBeTruthy();
    expect(reads).toHaveBeenCalledTimes(1);

    await act(async () => sinks[0].error([{ message: 'Too many open subscriptions', extensions: { code: 'RATE_LIMITED' } }]));
    await settle();
    expect(reads).toHaveBeenCalledTimes(2); // at once
    expect(screen.getByText('3 credits')).toBeTruthy();
    await act(async () => void (await jest.advanceTimersByTimeAsync(BALANCE_POLL_MS)));
    expect(reads).toHaveBeenCalledTimes(3);
    expect(screen.getByText('2 credits')).toBeTruthy();
  });

  it('reads nothing more while its stream delivers', async () => {
    balances = [5];
    render(<Balance teamId="t1" />);
    await settle();
    await act(async () => sinks[0].next({ data: { creditBalanceChanged: { available: 4, debt: 0 } } }));
    expect(screen.getByText('4 credits')).toBeTruthy();
    await act(async () => void (await jest.advanceTimersByTimeAsync(3 * BALANCE_POLL_MS)));
    expect(reads).toHaveBeenCalledTimes(1);
  });
});
