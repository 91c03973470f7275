/** @jest-environment jsdom */
import { render, screen } from '@testing-library/react';
import { resetSubscriptions } from '../graphql/client';
import { SessionProvider } from '../session/session';
import { CreditsPage } from './credits-page';

jest.mock('graphql-ws', () =>
  jest.requireActual<typeof import('../graphql/graphql-ws.fake')>('../graphql/graphql-ws.fake').fakeGraphqlWs(),
);

const ME = { id: 'u-me', email: 'me@example.com', emailVerified: true, isPlatformAdmin: false, mustAcceptPolicy: false };
const TEAMS = [
  { id: 'team-personal', name: 'Personal', personal: true, viewerRole: 'OWNER' },
  { id: 'team-studio', name: 'Studio', personal: false, viewerRole: 'ADMIN' },
];
const BALANCES: Record<string, number> = { 'team-personal': 1, 'team-studio': 500 };
const EMPTY = { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };

/** The browser's network, the only thing replaced; the teams each figure was asked for are kept in `askedFor`. */
let askedFor: string[] = [];
function network() {
  askedFor = [];
  const reply = (data: unknown) => ({ status: 200, json: async () => ({ data }) }) as unknown as Response;
  global.fetch = jest.fn(async (_url: string, init?: RequestInit) => {
    const { query, variables } = JSON.parse(String(init?.body)) as { query: string; variables: { teamId?: string } };
    const operation = /(?:query|mutation)\s+(\w+)/.exec(query)?.[1];
    if (variables.teamId) askedFor.push(variables.teamId);
    switch (operation) {
      case 'Me':
        return reply({ me: ME });
      case 'ConsentState':
        // No Functionality consent: the selected team is not remembered across the trip to Stripe.
        return reply({ consent: null, policy: { version: '1' } });
      case 'Teams':
        return reply({ teams: { edges: TEAMS.map((node) => ({ node })) } });
      case 'CreditBalance':
        return reply({ creditBalance: { available: BALANCES[variables.teamId ?? ''], debt: 0 } });
      case 'Usage':
        return reply({ usage: [] });
      case 'CreditPacks':
        return reply({ creditPacks: [], billingConfigured: true });
      case 'Prices':
        return reply({ prices: { preview: 1, full: 2, highMultiplier: 2, previewMaxMegapixels: 0.25 } });
      case 'Purchases':
        return reply({ purchases: EMPTY });
      case 'CreditLedger':
        return reply({ creditLedger: EMPTY });
      default:
        throw new Error(`unexpected operation ${operation}`);
    }
  }) as unknown as typeof fetch;
}

const realFetch = global.fetch;
beforeEach(() => {
  resetSubscriptions();
  network();
});
afterEach(() => {
  global.fetch = realFetch;
  localStorage.clear();
});

function openAt(path: string) {
  window.history.pushState(null, '', path);
  render(
    <SessionProvider>
      <CreditsPage />
    </SessionProvider>,
  );
}

describe('CreditsPage: back from Stripe Checkout', () => {
  it('shows the team the order was for, and thanks by its name, though another team was selected before', async () => {
    // Found in review: Stripe came back to /billing?checkout=success with no team, and the page showed the
    // remembered team (remembered only with Functionality consent) or else the personal one.
    openAt('/billing?checkout=success&team=team-studio');
    await screen.findByRole('heading', { level: 2, name: 'Balance of Studio' });
    await screen.findByText('500 credits');
    expect(
      screen.getByText('Thank you: your payment for Studio went through. Its credits arrive as soon as Stripe confirms it.'),
    ).toBeTruthy();
    // The personal team's figures were never asked for on the way.
    expect(askedFor.length).toBeGreaterThan(0);
    expect(askedFor.filter((id) => id !== 'team-studio')).toEqual([]);
  });

  it('names the team of a canceled checkout too', async () => {
    openAt('/billing?checkout=cancel&team=team-studio');
    expect(await screen.findByText('Checkout for Studio was canceled; nothing was charged.')).toBeTruthy();
    screen.getByRole('heading', { level: 2, name: 'Balance of Studio' });
  });

  it('ignores a team that is not one of the person’s', async () => {
    openAt('/billing?checkout=success&team=team-someone-else');
    await screen.findByRole('heading', { level: 2, name: 'Balance of Personal' });
    expect(screen.getByText('Thank you: your payment went through. The credits arrive here as soon as Stripe confirms it.')).toBeTruthy();
    expect(askedFor).not.toContain('team-someone-else');
  });
});
