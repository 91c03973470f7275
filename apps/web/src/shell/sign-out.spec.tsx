/** @jest-environment jsdom */
import { act, fireEvent, render, screen } from '@testing-library/react';
import { SessionProvider } from '../session/session';
import { Shell } from './shell';

jest.mock('graphql-ws', () =>
  jest.requireActual<typeof import('../graphql/graphql-ws.fake')>('../graphql/graphql-ws.fake').fakeGraphqlWs(),
);

const ME = { id: 'u-me', email: 'me@example.com', emailVerified: true, isPlatformAdmin: false, mustAcceptPolicy: false };

/** The API, at fetch; SignOut answers with `signOut()` (a failure by default). */
function anApi(signOut: () => Promise<Response>) {
  const answer = (data: unknown) => ({ status: 200, json: async () => ({ data }) }) as unknown as Response;
  global.fetch = jest.fn(async (_url: string, init?: RequestInit) => {
    const { query } = JSON.parse(String(init?.body)) as { query: string };
    const operation = /(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? '';
    if (operation === 'SignOut') return signOut();
    if (operation === 'Me') return answer({ me: ME });
    if (operation === 'ConsentState') return answer({ consent: null, policy: { version: '1' } });
    if (operation === 'Teams')
      return answer({ teams: { edges: [{ node: { id: 't1', name: 'Personal', personal: true, viewerRole: 'OWNER' } }] } });
    return answer({ creditBalance: { available: 1, debt: 0 } });
  }) as unknown as typeof fetch;
}

async function signOut() {
  render(
    <SessionProvider>
      <Shell>
        <p>the page</p>
      </Shell>
    </SessionProvider>,
  );
  fireEvent.click(await screen.findByRole('button', { name: /Account menu for/ }));
  await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Sign out' })));
}

const realFetch = global.fetch;
beforeEach(() => {
  window.history.replaceState(null, '', '/credits');
  // jsdom does not scroll (navigate() does).
  window.scrollTo = jest.fn();
});
afterEach(() => {
  global.fetch = realFetch;
});

describe('Sign out (the account menu)', () => {
  it('stays signed in and says so when the request fails: the cookie and the server session still work', async () => {
    // Regression: a failed sign-out still cleared the page and went to /sign-in, leaving the session valid (and an unhandled rejection).
    anApi(async () => {
      throw new TypeError('Failed to fetch');
    });
    await signOut();
    expect(screen.getByRole('alert').textContent).toBe('Could not sign out: try again.');
    expect(window.location.pathname).toBe('/credits');
    expect(screen.getByRole('button', { name: /Account menu for/ })).toBeTruthy();
  });

  it('goes to the sign-in page once the API signed out', async () => {
    anApi(async () => ({ status: 200, json: async () => ({ data: { signOut: true } }) }) as unknown as Response);
    await signOut();
    expect(window.location.pathname).toBe('/sign-in');
    expect(screen.queryByRole('button', { name: /Account menu for/ })).toBeNull();
  });
});
