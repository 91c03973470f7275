/** @jest-environment jsdom */
import { act, fireEvent, render, screen } from '@testing-library/react';
import { CreditsAdmin } from './credits-admin';

interface AdjustInput {
  teamId: string;
  amount: number;
  reason: string;
  idempotencyKey?: string | null;
}

/** How the network answers the next adjustment: the API's answer, a failure to reach it, or an answer held back. */
type Answer = 'ok' | 'unreachable' | { held: Promise<void> };

function held() {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { answer: { held: promise } as Answer, release };
}

/**
 * The browser's network, the only thing replaced: every adjustment the form sends is kept as it went out, and answered
 * by the next of `answers` (the ledger-health query is answered healthy).
 */
function network(answers: Answer[]) {
  const sent: AdjustInput[] = [];
  const reply = (data: unknown) => ({ status: 200, json: async () => ({ data }) }) as unknown as Response;
  global.fetch = jest.fn(async (_url: string, init?: RequestInit) => {
    const { query, variables } = JSON.parse(String(init?.body)) as { query: string; variables: { input: AdjustInput } };
    if (!query.includes('AdminAdjustCredits')) return reply({ ledgerHealth: [] });
    sent.push(variables.input);
    const answer = answers.shift() ?? 'ok';
    if (answer === 'unreachable') throw new TypeError('Failed to fetch');
    if (answer !== 'ok') await answer.held;
    const { amount, reason } = variables.input;
    return reply({ adjustCredits: { balance: { available: 10, debt: 0 }, entry: { id: `entry-${sent.length}`, amount, reason } } });
  }) as unknown as typeof fetch;
  return sent;
}

const realFetch = global.fetch;
afterEach(() => {
  global.fetch = realFetch;
});

const fill = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
const form = () => screen.getByRole('form', { name: 'Adjust a team’s credits' });
const UNREACHABLE = 'The server could not be reached. Check your connection and try again.';

describe('CreditsAdmin: the adjustment form', () => {
  it('sends one idempotencyKey per intended adjustment: the same on a retry and a double submit, a new one after a success or a change', async () => {
    const first = held();
    const second = held();
    const sent = network(['unreachable', first.answer, second.answer, 'unreachable', 'ok', 'ok']);
    render(<CreditsAdmin />);
    fill('Team id', ' team-1 ');
    fill('Credits to add (negative to take back)', '2');
    fill('Reason for the adjustment', 'Goodwill');

    // The answer is lost: the adjustment may have been applied, so the retry must be the same request.
    await act(async () => fireEvent.submit(form()));
    await screen.findByText(UNREACHABLE);
    const key = sent[0]?.idempotencyKey;
    expect(key).toMatch(/^[\w.:-]{1,128}$/);
    // The retry, submitted twice before its answer comes (a double click, Enter pressed twice).
    await act(async () => {
      fireEvent.submit(form());
      fireEvent.submit(form());
    });
    await act(async () => {
      first.release();
      second.release();
    });
    await screen.findByText('Adjusted by 2 credits: the team now has 10 credits.');
    expect(sent.map((input) => input.idempotencyKey)).toEqual([key, key, key]);
    expect(sent.map(({ teamId, amount, reason }) => ({ teamId, amount, reason }))).toEqual(
      Array(3).fill({ teamId: 'team-1', amount: 2, reason: 'Goodwill' }),
    );

    // After a success the same values are a new adjustment: a new key, kept for its retry.
    fill('Credits to add (negative to take back)', '2');
    fill('Reason for the adjustment', 'Goodwill');
    await act(async () => fireEvent.submit(form()));
    await screen.findByText(UNREACHABLE);
    const next = sent[3]?.idempotencyKey;
    expect(next).toMatch(/^[\w.:-]{1,128}$/);
    expect(next).not.toBe(key);
    // Changing the amount after the failure makes it another adjustment: another key.
    fill('Credits to add (negative to take back)', '2.5');
    await act(async () => fireEvent.submit(form()));
    await screen.findByText('Adjusted by 2.5 credits: the team now has 10 credits.');
    expect(sent[4]).toMatchObject({ amount: 2.5, reason: 'Goodwill' });
    expect([key, next]).not.toContain(sent[4].idempotencyKey);
    expect(sent[4].idempotencyKey).toMatch(/^[\w.:-]{1,128}$/);
    expect(sent).toHaveLength(5);
  });

  it('sends nothing for a form the API would refuse', async () => {
    const sent = network([]);
    render(<CreditsAdmin />);
    fill('Team id', 'team-1');
    fill('Credits to add (negative to take back)', '1.1');
    fill('Reason for the adjustment', 'Goodwill');
    await act(async () => fireEvent.submit(form()));
    await screen.findByText('A multiple of 0.25 credits.');
    expect(sent).toEqual([]);
  });
});
