/** @jest-environment jsdom */
import { fireEvent, render, screen } from '@testing-library/react';
import { SessionProvider, useSession } from '../session/session';
import { ResetPasswordPage } from './auth-pages';

const ME = { id: 'u-me', email: 'me@example.com', emailVerified: true, isPlatformAdmin: false, mustAcceptPolicy: false };

/** The API, at fetch: signed in until the password is reset (a reset signs out every session). */
function anApi() {
  let signedIn = true;
  const answer = (body: unknown) => ({ status: 200, json: async () => body }) as unknown as Response;
  global.fetch = jest.fn(async (_url: string, init?: RequestInit) => {
    const { query } = JSON.parse(String(init?.body)) as { query: string };
    const operation = /(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? '';
    if (operation === 'ConsentState') return answer({ data: { consent: null, policy: { version: '1' } } });
    if (operation === 'ResetPassword') {
      signedIn = false;
      return answer({ data: { resetPassword: { id: ME.id } } });
    }
    if (!signedIn) return answer({ data: null, errors: [{ message: 'Unauthenticated', extensions: { code: 'UNAUTHENTICATED' } }] });
    if (operation === 'Me') return answer({ data: { me: ME } });
    return answer({ data: { teams: { edges: [{ node: { id: 't1', name: 'Personal', personal: true, viewerRole: 'OWNER' } }] } } });
  }) as unknown as typeof fetch;
}

function Who() {
  const { me } = useSession();
  return <p>{me === undefined ? 'loading' : me ? `signed in as ${me.email}` : 'signed out'}</p>;
}

const realFetch = global.fetch;
afterEach(() => {
  global.fetch = realFetch;
});

describe('ResetPasswordPage', () => {
  it('reads the session again after a reset made while signed in, so "Sign in" is not sent to the dashboard', async () => {
    // Regression: the page said every session was signed out, but still thought this one signed in; Sign in redirected to /.
    anApi();
    window.history.pushState(null, '', '/reset-password?token=a-token');
    render(
      <SessionProvider>
        <Who />
        <ResetPasswordPage />
      </SessionProvider>,
    );
    await screen.findByText('signed in as me@example.com');
    fireEvent.change(screen.getByLabelText('New password'), { target: { value: 'a long new password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Set password' }));
    await screen.findByText(/Every session was signed out/);
    expect(screen.getByText('signed out')).toBeTruthy();
  });
});
