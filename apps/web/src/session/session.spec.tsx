/** @jest-environment jsdom */
import { act, fireEvent, render, screen } from '@testing-library/react';
import { execute, resetSubscriptions, subscribe } from '../graphql/client';
import { CreditBalanceChangedDocument, CreditBalanceDocument } from '../shell/shell';
import { SessionProvider, useSession } from './session';

// graphql-ws, faked: the socket's `closed` listener is kept, for the spec to close it as the API does.
let closed: ((event: unknown) => void) | undefined;
jest.mock('graphql-ws', () => ({
  createClient: (options: { on?: { closed?: (event: unknown) => void } }) => {
    closed = options.on?.closed;
    return { subscribe: () => () => undefined, dispose: async () => undefined };
  },
}));

const ME = { id: 'u-me', email: 'me@example.com', emailVerified: true, isPlatformAdmin: false, mustAcceptPolicy: false };

/** The API, at fetch: whether the session is alive; every operation counted by name. */
function anApi() {
  const api = { signedIn: true, calls: [] as string[] };
  const answer = (body: unknown) => ({ status: 200, json: async () => body }) as unknown as Response;
  global.fetch = jest.fn(async (_url: string, init?: RequestInit) => {
    const { query } = JSON.parse(String(init?.body)) as { query: string };
    const operation = /(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? '';
    api.calls.push(operation);
    if (operation === 'ConsentState') return answer({ data: { consent: null, policy: { version: '1' } } });
    if (!api.signedIn) return answer({ data: null, errors: [{ message: 'Unauthenticated', extensions: { code: 'UNAUTHENTICATED' } }] });
    if (operation === 'Me') return answer({ data: { me: ME } });
    if (operation === 'Teams') {
      return answer({ data: { teams: { edges: [{ node: { id: 't1', name: 'Personal', personal: true, viewerRole: 'OWNER' } }] } } });
    }
    return answer({ data: { creditBalance: { available: 1, debt: 0 } } });
  }) as unknown as typeof fetch;
  return api;
}

function Who() {
  const { me } = useSession();
  return (
    <>
      <p>{me === undefined ? 'loading' : me ? `signed in as ${me.email}` : 'signed out'}</p>
      <button type="button" onClick={() => void execute(CreditBalanceDocument, { teamId: 't1' }).catch(() => undefined)}>
        Read the balance
      </button>
    </>
  );
}

const realFetch = global.fetch;
afterEach(() => {
  global.fetch = realFetch;
  resetSubscriptions();
});

describe('SessionProvider: access that ends while the page is open', () => {
  it('reads the session again after an UNAUTHENTICATED answer: the page learns it is signed out', async () => {
    // Regression: the session was read only on explicit calls, so a session ended elsewhere went unnoticed.
    const api = anApi();
    render(
      <SessionProvider>
        <Who />
      </SessionProvider>,
    );
    await screen.findByText('signed in as me@example.com');
    api.signedIn = false;
    fireEvent.click(screen.getByRole('button', { name: 'Read the balance' }));
    await screen.findByText('signed out');
  });

  it('reads the session again when the API closes the socket with 4401', async () => {
    const api = anApi();
    render(
      <SessionProvider>
        <Who />
      </SessionProvider>,
    );
    await screen.findByText('signed in as me@example.com');
    subscribe(CreditBalanceChangedDocument, { teamId: 't1' }, { next: () => undefined });
    api.signedIn = false;
    await act(async () => closed?.({ code: 4401, reason: 'Unauthorized' }));
    await screen.findByText('signed out');
  });

  it('does nothing on UNAUTHENTICATED while signed out (a wrong password on the sign-in page): no reload loop', async () => {
    const api = anApi();
    api.signedIn = false;
    render(
      <SessionProvider>
        <Who />
      </SessionProvider>,
    );
    await screen.findByText('signed out');
    const reads = api.calls.filter((name) => name === 'Me').length;
    fireEvent.click(screen.getByRole('button', { name: 'Read the balance' }));
    await act(async () => new Promise((resolve) => setTimeout(resolve, 20)));
    expect(api.calls.filter((name) => name === 'Me')).toHaveLength(reads);
  });
});
