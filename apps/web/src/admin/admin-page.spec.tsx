/** @jest-environment jsdom */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { buildSchema, GraphQLEnumType } from 'graphql';
import { SessionProvider } from '../session/session';
import { AdminPage } from './admin-page';

const ADMIN = { id: 'u-admin', email: 'admin@example.com', emailVerified: true, isPlatformAdmin: true, mustAcceptPolicy: false };
const EMPTY_PAGE = { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };

interface FakeHold {
  id: string;
  active: boolean;
  subjectKind: 'USER' | 'TEAM';
  subjectId: string;
  reference: string;
  placedAt: string;
  placedByUserId: string;
  releasedAt: string | null;
  releaseReason: string | null;
}

const aHold = (n: number): FakeHold => ({
  id: `hold-${n}`,
  active: true,
  subjectKind: 'USER',
  subjectId: `user-${n}`,
  reference: `CASE-${n}`,
  placedAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
  placedByUserId: ADMIN.id,
  releasedAt: null,
  releaseReason: null,
});

/**
 * The browser's network, the only thing replaced: a small GraphQL API answered by operation name. `holds` are listed
 * oldest first, a page at a time (the cursor is the hold's id), as the API does.
 */
/** Set by a test: how the next page past the first of data requests answers (held, then passes or fails). */
const pageGate: { next?: () => Promise<void> } = {};

function network(holds: FakeHold[] = [], requests: Record<string, unknown>[] = []) {
  const reply = (data: unknown) => ({ status: 200, json: async () => ({ data }) }) as unknown as Response;
  global.fetch = jest.fn(async (_url: string, init?: RequestInit) => {
    const { query, variables } = JSON.parse(String(init?.body)) as {
      query: string;
      variables: { activeOnly?: boolean; first?: number; after?: string | null; input?: Record<string, unknown> };
    };
    const operation = /(?:query|mutation)\s+(\w+)/.exec(query)?.[1];
    switch (operation) {
      case 'Me':
        return reply({ me: ADMIN });
      case 'ConsentState':
        return reply({ consent: null, policy: { version: '1' } });
      case 'Teams':
        return reply({ teams: { edges: [] } });
      case 'AdminDataRequests': {
        const start = variables.after ? requests.findIndex((r) => r.id === variables.after) + 1 : 0;
        if (start > 0 && pageGate.next) await pageGate.next();
        const page = requests.slice(start, start + (variables.first ?? 20));
        const hasNextPage = start + page.length < requests.length;
        return reply({
          dataRequests: { edges: page.map((node) => ({ node })), pageInfo: { hasNextPage, endCursor: page.at(-1)?.id ?? null } },
        });
      }
      case 'AdminDataRequest':
        return reply({ dataRequest: requests.find((r) => r.id === (variables as { id?: string }).id) });
      case 'AdminApproveDataRequest': {
        const request = requests.find((r) => r.id === variables.input?.id);
        if (!request || !['PENDING', 'FAILED'].includes(request.status as string)) throw new Error('not approvable');
        Object.assign(request, { status: 'APPROVED', errorCode: null, overdue: false });
        return reply({ approveDataRequest: request });
      }
      case 'AdminRejectDataRequest': {
        const input = variables.input as { id: string; reason: string };
        const request = requests.find((r) => r.id === input.id);
        if (!request || !['PENDING', 'FAILED'].includes(request.status as string)) throw new Error('not rejectable');
        Object.assign(request, {
          status: 'REJECTED',
          overdue: false,
          rejectionReason: input.reason,
          rejectedAt: '2026-02-01T00:00:00.000Z',
        });
        return reply({ rejectDataRequest: request });
      }
      case 'AdminLegalHolds': {
        const listed = holds.filter((h) => h.active || variables.activeOnly === false);
        const start = variables.after ? listed.findIndex((h) => h.id === variables.after) + 1 : 0;
        const page = listed.slice(start, start + Math.min(variables.first ?? 20, 100));
        const hasNextPage = start + page.length < listed.length;
        return reply({
          legalHolds: { edges: page.map((node) => ({ node })), pageInfo: { hasNextPage, endCursor: page.at(-1)?.id ?? null } },
        });
      }
      case 'AdminPlaceLegalHold': {
        const input = variables.input as { subject: { kind: 'USER' | 'TEAM'; id: string }; reference: string };
        const hold = {
          ...aHold(holds.length + 1),
          subjectKind: input.subject.kind,
          subjectId: input.subject.id,
          reference: input.reference,
        };
        holds.push(hold);
        return reply({ placeLegalHold: hold });
      }
      case 'AdminReleaseLegalHold': {
        const input = variables.input as { id: string; reason: string };
        const hold = holds.find((h) => h.id === input.id);
        if (!hold) throw new Error(`no hold ${input.id}`);
        Object.assign(hold, { active: false, releasedAt: '2026-02-01T00:00:00.000Z', releaseReason: input.reason });
        return reply({ releaseLegalHold: hold });
      }
      case 'AdminAuditLog':
        return reply({ platformAuditLog: EMPTY_PAGE });
      case 'AdminLedgerHealth':
        return reply({ ledgerHealth: [] });
      default:
        throw new Error(`unexpected operation ${operation}`);
    }
  }) as unknown as typeof fetch;
}

async function renderAdminPage() {
  render(
    <SessionProvider>
      <AdminPage />
    </SessionProvider>,
  );
  await screen.findByRole('heading', { level: 2, name: 'Legal holds' });
  // Let the sections' first queries answer.
  await act(async () => undefined);
}

/** The values of an enum of the committed API schema (the one the web types are generated from). */
function schemaEnum(name: string): string[] {
  const schema = buildSchema(readFileSync(join(__dirname, '../../../api/schema.graphql'), 'utf8'));
  const type = schema.getType(name);
  if (!(type instanceof GraphQLEnumType)) throw new Error(`${name} is not an enum of the schema`);
  return type.getValues().map((v) => v.value as string);
}

const realFetch = global.fetch;
afterEach(() => {
  global.fetch = realFetch;
  localStorage.clear();
});

describe('AdminPage: the audit-log filter', () => {
  it('offers every action of the API’s AuditAction enum, each once with a readable label', async () => {
    network();
    await renderAdminPage();
    const filters = screen.getByRole('form', { name: 'Audit log filters' });
    const options = within(within(filters).getByLabelText('Action')).getAllByRole('option') as HTMLOptionElement[];
    const actions = options.map((o) => o.value).filter((v) => v !== '');
    const expected = schemaEnum('AuditAction');
    expect(expected).toEqual(expect.arrayContaining(['POLICY_ACCEPTED', 'RETENTION_POLICY_CHANGED', 'RETENTION_SWEEP']));
    expect([...actions].sort()).toEqual([...expected].sort());
    const labels = options.filter((o) => o.value !== '').map((o) => o.textContent ?? '');
    for (const label of labels) expect(label).toMatch(/^[A-Z][A-Za-z ]+$/);
    expect(new Set(labels).size).toBe(labels.length);
  });
});

describe('AdminPage: legal holds', () => {
  const holdsSection = () => screen.getByRole('region', { name: 'Legal holds' });
  const shownReferences = () =>
    within(holdsSection())
      .queryAllByRole('listitem')
      .map((item) => /CASE-\d+/.exec(item.textContent ?? '')?.[0]);

  it('pages past the first page with Load more, so the newest holds can be seen and released', async () => {
    // 120 holds, more than the API's largest page (100); all but the newest released (quick to render).
    const holds = Array.from({ length: 120 }, (_, i) => ({
      ...aHold(i + 1),
      ...(i < 119 && { active: false, releasedAt: '2026-01-02T00:00:00.000Z' }),
    }));
    network(holds);
    await renderAdminPage();
    await act(async () => fireEvent.click(screen.getByLabelText('Show released holds too')));
    expect(shownReferences()).toContain('CASE-1');
    expect(shownReferences()).not.toContain('CASE-120');
    for (let pages = 0; !shownReferences().includes('CASE-120'); pages += 1) {
      expect(pages).toBeLessThan(10);
      const more = within(holdsSection()).getByRole('button', { name: 'Load more legal holds' });
      await act(async () => fireEvent.click(more));
    }
    expect(shownReferences()).toEqual(holds.map((h) => h.reference));
    expect(within(holdsSection()).queryByRole('button', { name: /Load more/ })).toBeNull();

    fireEvent.change(screen.getByLabelText('Reason to release hold CASE-120'), { target: { value: 'Case closed' } });
    await act(async () => fireEvent.click(screen.getAllByRole('button', { name: 'Release' }).at(-1) as HTMLElement));
    expect(holds.at(-1)).toMatchObject({ active: false, releaseReason: 'Case closed' });
    expect(shownReferences()).toHaveLength(120);
    expect(screen.queryByLabelText('Reason to release hold CASE-120')).toBeNull();
  });

  it('shows a newly placed hold at once, releasable, even while older pages remain unread', async () => {
    const holds = Array.from({ length: 30 }, (_, i) => aHold(i + 1));
    network(holds);
    await renderAdminPage();
    fireEvent.change(screen.getByLabelText('User id'), { target: { value: 'user-new' } });
    fireEvent.change(screen.getByLabelText('Legal reference'), { target: { value: 'CASE-NEW' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Place hold' })));
    await screen.findByText('The hold is placed: deletion and retention pause for its subject.');
    expect(screen.getByText('CASE-NEW')).toBeTruthy();
    expect(screen.getByLabelText('Reason to release hold CASE-NEW')).toBeTruthy();

    // Reading the remaining pages shows it once, last (the list is oldest first).
    await act(async () => fireEvent.click(within(holdsSection()).getByRole('button', { name: 'Load more legal holds' })));
    const items = within(holdsSection()).getAllByRole('listitem');
    expect(items).toHaveLength(31);
    expect(items.at(-1)?.textContent).toContain('CASE-NEW');
    expect(screen.getAllByText('CASE-NEW')).toHaveLength(1);
  });
});

describe('AdminPage: data requests', () => {
  const aFailedRequest = () => ({
    id: 'req-1',
    kind: 'DELETION',
    status: 'FAILED',
    origin: 'ADMIN',
    note: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    dueAt: '2026-01-31T00:00:00.000Z',
    overdue: true,
    approvedAt: '2026-01-01T00:01:00.000Z',
    startedAt: '2026-01-01T00:02:00.000Z',
    completedAt: null,
    rejectedAt: null,
    rejectionReason: null,
    canceledAt: null,
    executeAfter: '2026-01-01T00:01:00.000Z',
    errorCode: 'LAST_OWNER',
    progress: 0,
    step: null,
    subjectUserId: 'user-1',
    waitingReason: null,
    receipt: null,
  });

  it('offers to approve a FAILED request again, and does so', async () => {
    const failed = aFailedRequest();
    network([], [failed]);
    await renderAdminPage();
    fireEvent.click(await screen.findByRole('button', { name: /^Open DELETION request of / }));
    await screen.findByText('Failed (LAST_OWNER).');
    fireEvent.click(await screen.findByRole('button', { name: 'Approve again' }));
    await screen.findByText('Approved: the request is queued for execution.');
    const approvals = (global.fetch as jest.Mock).mock.calls.filter(([, init]) => String(init?.body).includes('AdminApproveDataRequest'));
    expect(approvals).toHaveLength(1);
    expect(screen.queryByRole('button', { name: 'Approve again' })).toBeNull();
  });

  it('opens a request without reading the list again (it kept a later page), moves focus to it, and reloads the list once it changes', async () => {
    // Regression (review): the detail's first read reloaded the list, which took a list read past its first page back
    // to that page, so the row just opened disappeared; and focus stayed on the row's button below the detail.
    const failed = aFailedRequest();
    network([], [failed]);
    await renderAdminPage();
    const listReads = () =>
      (global.fetch as jest.Mock).mock.calls.filter(([, init]) => String(init?.body).includes('query AdminDataRequests(')).length;
    fireEvent.click(await screen.findByRole('button', { name: /^Open DELETION request of / }));
    await screen.findByText('Failed (LAST_OWNER).');
    const before = listReads();
    await act(async () => new Promise((r) => setTimeout(r, 50)));
    expect(listReads()).toBe(before);
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: `Request ${failed.id}` }));
    fireEvent.click(screen.getByRole('button', { name: 'Approve again' }));
    await screen.findByText('Approved: the request is queued for execution.');
    await waitFor(() => expect(listReads()).toBeGreaterThan(before));
  });

  it('keeps the data requests read and Load more (disabled) while the next page loads, and offers it again when that page fails', async () => {
    // Regression (review): Load more vanished while its page loaded (focus fell to the page), and after a failed page
    // there was no button to ask for it again.
    const requests = Array.from({ length: 25 }, (_, i) => ({ ...aFailedRequest(), id: `req-${String(i).padStart(2, '0')}` }));
    network([], requests);
    let release!: (fail: boolean) => void;
    pageGate.next = () =>
      new Promise<void>((resolve, reject) => (release = (fail) => (fail ? reject(new Error('network down')) : resolve())));
    await renderAdminPage();
    const section = () => screen.getByRole('region', { name: 'Data requests' });
    const openButtons = async () => (await within(section()).findAllByRole('button', { name: /^Open DELETION request of / })).length;
    expect(await openButtons()).toBe(20);
    fireEvent.click(within(section()).getByRole('button', { name: 'Load more requests' }));
    const waiting = within(section()).getByRole('button', { name: 'Load more requests' });
    expect((waiting as HTMLButtonElement).disabled).toBe(true);
    expect(await openButtons()).toBe(20);
    await act(async () => release(true));
    const again = await within(section()).findByRole('button', { name: 'Load more requests' });
    await waitFor(() => expect((again as HTMLButtonElement).disabled).toBe(false));
    expect(await openButtons()).toBe(20);
    pageGate.next = undefined;
    fireEvent.click(again);
    await waitFor(async () => expect(await openButtons()).toBe(25));
    expect(within(section()).queryByRole('button', { name: 'Load more requests' })).toBeNull();
  });

  it('closes a FAILED request that will not run again, with a reason', async () => {
    // Regression (review): a failed request could only be approved again, so one that could never run stayed overdue.
    const failed = aFailedRequest();
    network([], [failed]);
    await renderAdminPage();
    fireEvent.click(await screen.findByRole('button', { name: /^Open DELETION request of / }));
    await screen.findByText('Failed (LAST_OWNER).');
    fireEvent.click(screen.getByRole('button', { name: 'Close the request' }));
    await screen.findByText('Give the reason: it is kept in the audit log.');
    fireEvent.change(screen.getByLabelText('Reason for closing'), { target: { value: 'the person withdrew it by mail' } });
    fireEvent.click(screen.getByRole('button', { name: 'Close the request' }));
    await screen.findByText('Closed.');
    await screen.findByText('Rejected: the person withdrew it by mail');
    const closes = (global.fetch as jest.Mock).mock.calls.filter(([, init]) => String(init?.body).includes('AdminRejectDataRequest'));
    expect(closes).toHaveLength(1);
    expect(screen.queryByRole('button', { name: 'Close the request' })).toBeNull();
  });
});
