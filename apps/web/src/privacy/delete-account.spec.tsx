/** @jest-environment jsdom */
import { act, render, screen } from '@testing-library/react';
import { SessionProvider } from '../session/session';
import { DeleteAccount } from './privacy-page';

const aDeletion = (status: string, patch: Record<string, unknown> = {}) => ({
  id: `req-${status}`,
  kind: 'DELETION',
  status,
  createdAt: '2026-12-01T10:00:00.000Z',
  completedAt: null,
  executeAfter: '2026-12-08T10:00:00.000Z',
  exportExpiresAt: null,
  downloadUrl: null,
  errorCode: null,
  rejectionReason: null,
  progress: 0,
  ...patch,
});

/** The browser's network (the HTTP boundary): the signed-in person and their data requests, newest first. */
function network(requests: Record<string, unknown>[]) {
  globalThis.fetch = jest.fn(async (_url: unknown, init?: { body?: string }) => {
    const { query } = JSON.parse(init?.body ?? '{}') as { query: string };
    const operation = /^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? '';
    const data: Record<string, unknown> = {
      Me: { me: { id: 'u1', email: 'a@example.com', emailVerified: true, isPlatformAdmin: false, mustAcceptPolicy: false } },
      ConsentState: { consent: null, policy: { version: '2026-11-30' } },
      Teams: { teams: { edges: [{ node: { id: 't1', name: 'Mine', personal: true, viewerRole: 'OWNER' } }] } },
      MyDataRequests: { myDataRequests: { edges: requests.map((node) => ({ node })) } },
    };
    if (!(operation in data)) throw new Error(`no answer for ${operation}`);
    return { status: 200, json: async () => ({ data: data[operation] }) };
  }) as unknown as typeof fetch;
}

async function renderIt() {
  render(
    <SessionProvider>
      <DeleteAccount />
    </SessionProvider>,
  );
  await act(async () => undefined);
  await act(async () => undefined);
}

describe('DeleteAccount', () => {
  it('says why the last deletion did not happen, and offers to ask again', async () => {
    // Regression (review): a failed deletion showed only the empty form again, after a mail that said it would happen.
    network([aDeletion('FAILED', { errorCode: 'LAST_OWNER' }), aDeletion('CANCELED', { id: 'older' })]);
    await renderIt();
    expect(await screen.findByText(/could not be deleted .*last owner of a team with other members/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Delete my account' })).toBeTruthy();
  });

  it('shows the reason of a declined deletion', async () => {
    network([aDeletion('REJECTED', { rejectionReason: 'a legal claim is pending' })]);
    await renderIt();
    expect(await screen.findByText(/was declined: a legal claim is pending/)).toBeTruthy();
  });

  it('shows a deletion running now as running: no form to ask again, nothing to cancel', async () => {
    // Regression (review): an EXECUTING deletion showed the form, whose submit then answered CONFLICT.
    network([aDeletion('EXECUTING')]);
    await renderIt();
    expect(await screen.findByText('Your account is being deleted now. This cannot be canceled any more.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Delete my account' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Cancel the deletion' })).toBeNull();
  });

  it('says nothing of a deletion that was canceled', async () => {
    network([aDeletion('CANCELED')]);
    await renderIt();
    await screen.findByRole('button', { name: 'Delete my account' });
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByText(/could not be deleted|declined/)).toBeNull();
  });
});
