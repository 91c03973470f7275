/** @jest-environment jsdom */
import { fireEvent, render, screen } from '@testing-library/react';
import { SessionProvider } from '../session/session';
import { AcceptInvitationPage } from './accept-invitation-page';

const ME = { id: 'u-me', email: 'me@example.com', emailVerified: true, isPlatformAdmin: false, mustAcceptPolicy: false };

/** The browser's network, the only thing replaced: acceptInvitation answers with `refusal` (the API's error). */
function network(refusal: { message: string; extensions: { code: string } }) {
  const reply = (body: unknown) => ({ status: 200, json: async () => body }) as unknown as Response;
  global.fetch = jest.fn(async (_url: string, init?: RequestInit) => {
    const { query } = JSON.parse(String(init?.body)) as { query: string };
    const operation = /(?:query|mutation)\s+(\w+)/.exec(query)?.[1];
    switch (operation) {
      case 'Me':
        return reply({ data: { me: ME } });
      case 'ConsentState':
        return reply({ data: { consent: null, policy: { version: '1' } } });
      case 'Teams':
        return reply({ data: { teams: { edges: [] } } });
      case 'AcceptInvitation':
        return reply({ errors: [refusal] });
      default:
        throw new Error(`unexpected operation ${operation}`);
    }
  }) as unknown as typeof fetch;
}

const realFetch = global.fetch;
afterEach(() => {
  global.fetch = realFetch;
});

async function accept() {
  window.history.pushState(null, '', '/invitations/accept?token=tok');
  render(
    <SessionProvider>
      <AcceptInvitationPage />
    </SessionProvider>,
  );
  fireEvent.click(await screen.findByRole('button', { name: 'Accept invitation' }));
  return (await screen.findByRole('alert')).textContent;
}

describe('AcceptInvitationPage', () => {
  it('says the invitation was sent to another address when the API refuses it as FORBIDDEN', async () => {
    // Found in review: the page showed FORBIDDEN's general sentence, "Your role in this team does not allow that."
    network({ message: 'This invitation was sent to another email address.', extensions: { code: 'FORBIDDEN' } });
    expect(await accept()).toBe('This invitation was sent to another email address. Sign out and sign in with the address it was sent to.');
  });

  it('keeps the sentence of other refusals (an expired or used invitation)', async () => {
    network({ message: 'This invitation has expired. Ask for a new one.', extensions: { code: 'INVALID_TOKEN' } });
    expect(await accept()).toBe('This link is invalid, expired or was already used. Ask for a new one.');
  });
});
