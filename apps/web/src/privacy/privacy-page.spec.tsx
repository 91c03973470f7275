/** @jest-environment jsdom */
import { act, fireEvent, render, screen } from '@testing-library/react';
import { SessionProvider } from '../session/session';
import { ConsentSettings, DataRequests, DeleteAccount } from './privacy-page';

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
function network(requests: Record<string, unknown>[] | (() => Record<string, unknown>[])) {
  globalThis.fetch = jest.fn(async (_url: unknown, init?: { body?: string }) => {
    const { query } = JSON.parse(init?.body ?? '{}') as { query: string };
    const operation = /^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? '';
    const data: Record<string, unknown> = {
      Me: { me: { id: 'u1', email: 'a@example.com', emailVerified: true, isPlatformAdmin: false, mustAcceptPolicy: false } },
      ConsentState: { consent: null, policy: { version: '2026-11-30' } },
      Teams: { teams: { edges: [{ node: { id: 't1', name: 'Mine', personal: true, viewerRole: 'OWNER' } }] } },
      MyDataRequests: { myDataRequests: { edges: (typeof requests === 'function' ? requests() : requests).map((node) => ({ node })) } },
    };
    if (!(operation in data)) throw new Error(`no answer for ${operation}`);
    return { status: 200, json: async () => ({ data: data[operation] }) };
  }) as unknown as typeof fetch;
}

async function renderIt(page: 'delete' | 'exports' = 'delete') {
  render(<SessionProvider>{page === 'delete' ? <DeleteAccount /> : <DataRequests />}</SessionProvider>);
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

describe('DataRequests', () => {
  it('downloads an archive through a link asked for at the click, not the one signed when the page loaded', async () => {
    // Regression (review): the shown link is signed for an hour; clicked later it answered a raw 403 INVALID_TOKEN page.
    let reads = 0;
    const anExport = () => ({
      ...aDeletion('COMPLETED'),
      id: 'export-1',
      kind: 'EXPORT',
      exportExpiresAt: '2026-12-03T10:00:00.000Z',
      downloadUrl: `http://localhost/privacy/exports/export-1?sig=read-${++reads}`,
    });
    network(() => [anExport()]);
    const followed: string[] = [];
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      followed.push(this.href);
    });
    try {
      await renderIt('exports');
      const link = await screen.findByRole('link', { name: /^Download the archive/ });
      const shown = link.getAttribute('href');
      const readsBeforeClick = reads;
      await act(async () => void fireEvent.click(link));
      await act(async () => undefined);
      // One download, of a link read at the click (a later read than any the page had shown).
      expect(followed).toHaveLength(1);
      expect(followed[0]).not.toBe(shown);
      expect(Number(/sig=read-(\d+)$/.exec(followed[0])?.[1])).toBeGreaterThan(readsBeforeClick);
    } finally {
      click.mockRestore();
    }
  });
});

describe('ConsentSettings', () => {
  const CURRENT = '2026-11-30';
  /** The network with the newest consent (made against `version`) and the cookie policy in force. */
  function consentNetwork(version: string) {
    const consent = {
      id: 'c1',
      categories: ['PERFORMANCE', 'MARKETING'],
      policyVersion: version,
      recordedAt: '2026-10-01T10:00:00.000Z',
      source: 'BANNER',
    };
    globalThis.fetch = jest.fn(async (_url: unknown, init?: { body?: string }) => {
      const { query } = JSON.parse(init?.body ?? '{}') as { query: string };
      const operation = /^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? '';
      if (operation !== 'ConsentSettings') throw new Error(`no answer for ${operation}`);
      const data = { consent, policy: { version: CURRENT }, consentHistory: { edges: [{ node: consent }] } };
      return { status: 200, json: async () => ({ data }) };
    }) as unknown as typeof fetch;
  }
  const ticked = () =>
    ['Performance', 'Functionality', 'Marketing'].filter(
      (name) => (screen.getByRole('checkbox', { name: new RegExp(name) }) as HTMLInputElement).checked,
    );

  it('starts unticked when the newest choice was made against an older cookie policy', async () => {
    // Regression (review): the boxes showed the old choice, and saving recorded it against the new policy.
    consentNetwork('2026-01-15');
    render(<ConsentSettings />);
    await screen.findByRole('button', { name: 'Save cookie choice' });
    expect(ticked()).toEqual([]);
  });

  it('starts from the newest choice made against the current cookie policy', async () => {
    consentNetwork(CURRENT);
    render(<ConsentSettings />);
    await screen.findByRole('button', { name: 'Save cookie choice' });
    expect(ticked()).toEqual(['Performance', 'Marketing']);
  });

  it('asks the history newest first and shows it in that order, the current choice on top', async () => {
    // Regression (review): it asked the first 100 oldest first and reversed them; past 100 records the
    // current choice was missing from a table captioned newest first.
    const record = (id: string, categories: string[], recordedAt: string) => ({
      id,
      categories,
      policyVersion: CURRENT,
      recordedAt,
      source: 'SETTINGS',
    });
    const newest = record('c3', ['STRICTLY_NECESSARY', 'MARKETING'], '2026-12-03T10:00:00.000Z');
    const older = [
      record('c2', ['STRICTLY_NECESSARY', 'PERFORMANCE'], '2026-12-02T10:00:00.000Z'),
      record('c1', ['STRICTLY_NECESSARY'], '2026-12-01T10:00:00.000Z'),
    ];
    const queries: string[] = [];
    globalThis.fetch = jest.fn(async (_url: unknown, init?: { body?: string }) => {
      const { query } = JSON.parse(init?.body ?? '{}') as { query: string };
      queries.push(query);
      // What the API answers to newestFirst: true (oldest first otherwise).
      const history = /newestFirst:\s*true/.test(query) ? [newest, ...older] : [...older].reverse().concat(newest);
      const data = { consent: newest, policy: { version: CURRENT }, consentHistory: { edges: history.map((node) => ({ node })) } };
      return { status: 200, json: async () => ({ data }) };
    }) as unknown as typeof fetch;
    render(<ConsentSettings />);
    await screen.findByRole('button', { name: 'Save cookie choice' });
    expect(queries[0]).toMatch(/consentHistory\(first: 100, newestFirst: true\)/);
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows.map((row) => row.querySelectorAll('td')[1].textContent)).toEqual([
      'Strictly necessary, Marketing',
      'Strictly necessary, Performance',
      'Strictly necessary',
    ]);
  });
});
