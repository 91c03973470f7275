/** @jest-environment jsdom */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { act, render, screen, within } from '@testing-library/react';
import { buildSchema, GraphQLEnumType } from 'graphql';
import { SessionProvider } from '../session/session';
import { AdminPage } from './admin-page';

const ADMIN = { id: 'u-admin', email: 'admin@example.com', emailVerified: true, isPlatformAdmin: true, mustAcceptPolicy: false };
const EMPTY_PAGE = { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };

/** The browser's network, the only thing replaced: a small GraphQL API answered by operation name. */
function network() {
  const reply = (data: unknown) => ({ status: 200, json: async () => ({ data }) }) as unknown as Response;
  global.fetch = jest.fn(async (_url: string, init?: RequestInit) => {
    const { query } = JSON.parse(String(init?.body)) as { query: string };
    const operation = /(?:query|mutation)\s+(\w+)/.exec(query)?.[1];
    switch (operation) {
      case 'Me':
        return reply({ me: ADMIN });
      case 'ConsentState':
        return reply({ consent: null, policy: { version: '1' } });
      case 'Teams':
        return reply({ teams: { edges: [] } });
      case 'AdminDataRequests':
        return reply({ dataRequests: EMPTY_PAGE });
      case 'AdminLegalHolds':
        return reply({ legalHolds: EMPTY_PAGE });
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
  await screen.findByRole('heading', { level: 1, name: 'Admin' });
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
