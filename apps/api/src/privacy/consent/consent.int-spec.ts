import { randomUUID } from 'node:crypto';
import { findFreePort } from '@cutout/embedded-db';
import { A_PASSWORD, aSignedInUser, anApiKey, anEmail, type SignedInUser } from '../../../testing/builders';
import { TestClient, wsRequest } from '../../../testing/graphql-client';
import { startTestApi, type TestApi } from '../../../testing/test-api';
import { startApi } from '../../bootstrap/start-api';
import { createLogger } from '../../common/logger';
import { DATA_SOURCE } from '../../common/tokens';
import { loadApiConfig } from '../../config/api.config';
import type { DataSource } from 'typeorm';
import { dumpDatabase } from '../../../testing/personal-data.traces';
import { PersonalDataRegistry } from '../personal-data/personal-data.registry';
import { SubjectDataService } from '../personal-data/subject-data.service';
import { ConsentService } from './consent.service';
import { ConsentCategory, ConsentSource } from './dto/consent.enums';
import { PolicyKind } from '../policies/dto/policy-kind.enum';
import { BUNDLED_POLICY_DOCUMENTS, PolicyDocuments } from '../policies/policy-documents';

const RECORD = `mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id categories policyVersion source recordedAt } }`;
const CONSENT = `{ consent { id categories policyVersion source } }`;
const HISTORY = `query($first: Int, $after: String) { consentHistory(first: $first, after: $after) {
  edges { node { id categories source } } pageInfo { hasNextPage endCursor } } }`;
const COOKIES_VERSION = PolicyDocuments.load(BUNDLED_POLICY_DOCUMENTS).current(PolicyKind.COOKIES).version;
const choice = (categories: string[], source = 'BANNER', policyVersion = COOKIES_VERSION) => ({ i: { categories, policyVersion, source } });

describe('cookie consent', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi();
  });
  afterAll(() => t.close());

  const recordCount = async () => (await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM consent_records'))[0].n;
  const historyIds = async (client: TestClient) =>
    (await client.ok(HISTORY)).consentHistory.edges.map((e: { node: { id: string } }) => e.node.id) as string[];

  it('gives a visitor without a cookie no consent and an empty history', async () => {
    const visitor = t.client();
    const res = await visitor.gql(CONSENT);
    expect(res.data).toEqual({ consent: null });
    expect(res.setCookie).toEqual([]);
    expect((await visitor.ok(HISTORY)).consentHistory).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('records a visitor’s choice with the strictly necessary category always on, and sets the visitor cookie once', async () => {
    const visitor = t.client();
    const first = await visitor.gql(RECORD, choice([]));
    expect(first.data?.recordConsent).toMatchObject({
      categories: ['STRICTLY_NECESSARY'],
      policyVersion: COOKIES_VERSION,
      source: 'BANNER',
    });
    expect(first.setCookie).toHaveLength(1);
    expect(first.setCookie[0]).toMatch(/^cutout_visitor=[0-9a-f-]{36}; Max-Age=31536000; Path=\/; HttpOnly; SameSite=Lax$/);
    const visitorId = visitor.otherCookies.get('cutout_visitor')!.split('=')[1];

    const second = await visitor.gql(RECORD, choice(['MARKETING', 'PERFORMANCE', 'MARKETING'], 'SETTINGS'));
    expect(second.setCookie).toEqual([]);
    expect(second.data?.recordConsent.categories).toEqual(['STRICTLY_NECESSARY', 'PERFORMANCE', 'MARKETING']);
    expect((await visitor.ok(CONSENT)).consent).toMatchObject({ id: second.data?.recordConsent.id, source: 'SETTINGS' });
    expect(await historyIds(visitor)).toEqual([first.data?.recordConsent.id, second.data?.recordConsent.id]);

    // What is stored: what, which version, how, when; the visitor's random id; no address, only a keyed hash of it.
    const rows = await t.sql<Record<string, unknown>>(`SELECT * FROM consent_records WHERE visitor_id = $1 ORDER BY recorded_at`, [
      visitorId,
    ]);
    expect(rows).toHaveLength(2);
    expect(Object.keys(rows[0]).sort()).toEqual(['categories', 'id', 'ip_hash', 'policy_version', 'recorded_at', 'source', 'visitor_id']);
    expect(rows[0].ip_hash).toMatch(/^[A-Za-z0-9_+/=-]{20,}$/);
    expect(JSON.stringify(rows)).not.toContain('127.0.0.1');
    expect(await t.sql(`SELECT * FROM consent_record_users WHERE consent_id = ANY($1)`, [rows.map((r) => r.id)])).toEqual([]);
  });

  it('over graphql-ws, a same-origin anonymous socket sees its visitor’s choice and records the next; a foreign origin’s socket does not', async () => {
    // Regression: the socket never read the cookie, so an anonymous visitor had no consent there.
    const visitor = t.client();
    const first = await visitor.ok(RECORD, choice(['PERFORMANCE']));
    const socket = visitor.ws();
    try {
      expect((await wsRequest(socket, CONSENT)).data?.consent).toMatchObject({ id: first.recordConsent.id });
      const next = await wsRequest(socket, RECORD, choice(['FUNCTIONALITY'], 'SETTINGS'));
      expect(next.errors).toBeUndefined();
      expect((await visitor.ok(CONSENT)).consent).toMatchObject({ id: next.data?.recordConsent.id, source: 'SETTINGS' });
    } finally {
      await socket.dispose();
    }
    // Another site's page opening a socket with the visitor's cookie: the cookie is ignored (and no id reaches it).
    const hijacked = visitor.ws(undefined, { origin: 'http://evil.example' });
    const before = await recordCount();
    try {
      expect((await wsRequest(hijacked, CONSENT)).data).toEqual({ consent: null });
      expect((await wsRequest(hijacked, RECORD, choice([]))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    } finally {
      await hijacked.dispose();
    }
    expect(await recordCount()).toBe(before);
  });

  it('marks the visitor cookie Secure when the public URL is https', async () => {
    const replica = await startApi(
      loadApiConfig({ ...t.env, ROLE: 'api', PORT: String(await findFreePort()), PUBLIC_URL: 'https://cutout.example.com' }),
      createLogger('silent'),
    );
    try {
      const res = await new TestClient(`http://127.0.0.1:${replica.port}`).gql(RECORD, choice([]));
      expect(res.setCookie).toEqual([
        expect.stringMatching(/^cutout_visitor=[0-9a-f-]{36}; Max-Age=31536000; Path=\/; HttpOnly; Secure; SameSite=Lax$/),
      ]);
    } finally {
      await replica.close();
    }
  });

  it('refuses an old or unknown cookie policy version with BAD_USER_INPUT, storing nothing and setting no cookie', async () => {
    const before = await recordCount();
    for (const version of ['2020-01-01', 'nonsense']) {
      const res = await t.client().gql(RECORD, choice(['PERFORMANCE'], 'BANNER', version));
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'policyVersion' });
      expect(res.setCookie).toEqual([]);
    }
    expect(await recordCount()).toBe(before);
  });

  it('refuses an unknown category as a schema error (GRAPHQL_VALIDATION_FAILED inline, BAD_USER_INPUT as a variable), storing nothing', async () => {
    const before = await recordCount();
    const inline = await t
      .client()
      .gql(`mutation { recordConsent(input: { categories: [TRACKING], policyVersion: "${COOKIES_VERSION}", source: BANNER }) { id } }`);
    expect(inline.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const variable = await t.client().gql(RECORD, choice(['STRICTLY_NECESSARY', 'TRACKING']));
    expect(variable.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const source = await t.client().gql(RECORD, choice([], 'POPUP'));
    expect(source.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await recordCount()).toBe(before);
  });

  it('records a signed-in user’s change linked to the account, audited, without a visitor cookie', async () => {
    const user = await aSignedInUser(t, 'consent-user');
    const res = await user.client.gql(RECORD, choice(['FUNCTIONALITY'], 'SETTINGS'));
    expect(res.setCookie).toEqual([]);
    const consent = res.data?.recordConsent;
    expect(consent).toMatchObject({ categories: ['STRICTLY_NECESSARY', 'FUNCTIONALITY'], source: 'SETTINGS' });
    expect(await t.sql(`SELECT user_id FROM consent_record_users WHERE consent_id = $1`, [consent.id])).toEqual([{ user_id: user.id }]);
    expect(await t.sql(`SELECT visitor_id FROM consent_records WHERE id = $1`, [consent.id])).toEqual([{ visitor_id: null }]);
    const [entry] = await t.sql(
      `SELECT actor_user_id, subject_user_id, target_id, details FROM audit_log WHERE action = 'CONSENT_CHANGED' AND subject_user_id = $1`,
      [user.id],
    );
    expect(entry).toEqual({
      actor_user_id: user.id,
      subject_user_id: user.id,
      target_id: consent.id,
      details: { categories: ['STRICTLY_NECESSARY', 'FUNCTIONALITY'], version: COOKIES_VERSION, source: 'SETTINGS' },
    });
    expect((await user.client.ok(CONSENT)).consent.id).toBe(consent.id);
  });

  it('links a visitor’s choices to the account at sign-in; afterwards the browser alone no longer shows them', async () => {
    const browser = t.client();
    const banner = (await browser.ok(RECORD, choice([]))).recordConsent;
    const email = anEmail('visitor');
    await browser.ok(`mutation($i: SignUpInput!) { signUp(input: $i) { id } }`, { i: { email, password: A_PASSWORD } });
    await browser.ok(`mutation($i: VerifyEmailInput!) { verifyEmail(input: $i) { id } }`, {
      i: { token: await t.tokenFromMail(email, /Verify/), password: A_PASSWORD },
    });
    const { signIn } = await browser.ok(`mutation($i: SignInInput!) { signIn(input: $i) { id } }`, { i: { email, password: A_PASSWORD } });
    expect(await historyIds(browser)).toEqual([banner.id]);
    expect((await browser.ok(CONSENT)).consent.id).toBe(banner.id);
    expect(await t.sql(`SELECT user_id FROM consent_record_users WHERE consent_id = $1`, [banner.id])).toEqual([{ user_id: signIn.id }]);

    await browser.ok(`mutation { signOut }`);
    expect(browser.otherCookies.has('cutout_visitor')).toBe(true);
    expect((await browser.ok(CONSENT)).consent).toBeNull();
    expect(await historyIds(browser)).toEqual([]);
  });

  it('shows nobody another person’s history: no argument names a person, and a copied visitor id does not reach an account’s choices', async () => {
    const a = await aSignedInUser(t, 'consent-a');
    const b = await aSignedInUser(t, 'consent-b');
    const mine = (await a.client.ok(RECORD, choice(['MARKETING'], 'SETTINGS'))).recordConsent;
    expect(await historyIds(b.client)).toEqual([]);
    expect((await b.client.ok(CONSENT)).consent).toBeNull();
    expect(await historyIds(a.client)).toEqual([mine.id]);

    const { __type } = await t.client().ok(`{ __type(name: "Query") { fields { name args { name } } } }`);
    const field = __type.fields.find((f: { name: string }) => f.name === 'consentHistory');
    expect(field.args.map((x: { name: string }) => x.name).sort()).toEqual(['after', 'first', 'newestFirst']);

    // A visitor who signed in: another browser holding a copy of that visitor id sees nothing of the account's.
    const shared = t.client();
    await shared.ok(RECORD, choice(['PERFORMANCE']));
    const visitorCookie = shared.otherCookies.get('cutout_visitor')!;
    await shared.ok(`mutation($i: SignInInput!) { signIn(input: $i) { id } }`, { i: { email: a.email, password: A_PASSWORD } });
    const copy = t.client();
    copy.otherCookies.set('cutout_visitor', visitorCookie);
    expect((await copy.ok(CONSENT)).consent).toBeNull();
    expect(await historyIds(copy)).toEqual([]);
    // A forged, random visitor id has nothing either.
    const forged = t.client();
    forged.otherCookies.set('cutout_visitor', `cutout_visitor=${randomUUID()}`);
    expect((await forged.ok(CONSENT)).consent).toBeNull();
  });

  it('pages through a history, oldest first', async () => {
    const user = await aSignedInUser(t, 'pager');
    const ids: string[] = [];
    for (const categories of [[], ['PERFORMANCE'], ['MARKETING']])
      ids.push((await user.client.ok(RECORD, choice(categories, 'SETTINGS'))).recordConsent.id);
    const page1 = (await user.client.ok(HISTORY, { first: 2 })).consentHistory;
    expect(page1.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(ids.slice(0, 2));
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (await user.client.ok(HISTORY, { first: 2, after: page1.pageInfo.endCursor })).consentHistory;
    expect(page2.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(ids.slice(2));
    expect(await user.client.errorCode(HISTORY, { first: 0 })).toBe('BAD_USER_INPUT');
  });

  it('pages through a history newest first: the first page holds the current choice however long the history', async () => {
    // Regression (review): the dashboard asked the first 100, oldest first, and reversed them; past 100
    // records the current choice was missing from a table that said newest first.
    const NEWEST = `query($first: Int, $after: String) { consentHistory(first: $first, after: $after, newestFirst: true) {
      edges { node { id } } pageInfo { hasNextPage endCursor } } }`;
    const user = await aSignedInUser(t, 'newest-first');
    const ids: string[] = [];
    for (const categories of [[], ['PERFORMANCE'], ['MARKETING']])
      ids.push((await user.client.ok(RECORD, choice(categories, 'SETTINGS'))).recordConsent.id);
    const current = (await user.client.ok(CONSENT)).consent.id;
    const page1 = (await user.client.ok(NEWEST, { first: 2 })).consentHistory;
    expect(page1.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([current, ids[1]]);
    expect(current).toBe(ids[2]);
    const page2 = (await user.client.ok(NEWEST, { first: 2, after: page1.pageInfo.endCursor })).consentHistory;
    expect(page2.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([ids[0]]);
    expect(page2.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses consent operations to API keys (a browser’s choice, not a program’s)', async () => {
    const owner = await aSignedInUser(t, 'consent-key');
    const key = t.client().withApiKey(await anApiKey(owner, owner.personalTeamId));
    const before = await recordCount();
    expect(await key.errorCode(RECORD, choice([]))).toBe('FORBIDDEN');
    expect(await key.errorCode(CONSENT)).toBe('FORBIDDEN');
    expect(await recordCount()).toBe(before);
  });

  it('keeps the history append-only in the database (only the visitor id and address hash may be cleared); deleting an account removes the link', async () => {
    const user = await aSignedInUser(t, 'append-only');
    const { id } = (await user.client.ok(RECORD, choice(['MARKETING'], 'SETTINGS'))).recordConsent;
    const before = await recordCount();
    await expect(t.sql(`UPDATE consent_records SET categories = '{STRICTLY_NECESSARY}' WHERE id = $1`, [id])).rejects.toThrow(
      /append-only/,
    );
    await expect(t.sql(`UPDATE consent_records SET visitor_id = gen_random_uuid() WHERE id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(t.sql(`UPDATE consent_records SET ip_hash = 'another' WHERE id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(t.sql(`DELETE FROM consent_records WHERE id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(t.sql(`TRUNCATE consent_records CASCADE`)).rejects.toThrow(/append-only/);
    await expect(
      t.sql(`INSERT INTO consent_records (categories, policy_version, source, recorded_at) VALUES ('{MARKETING}', 'x', 'BANNER', now())`),
    ).rejects.toThrow(/chk_consent_records_strictly_necessary/);
    expect(await recordCount()).toBe(before);

    await t.sql('DELETE FROM users WHERE id = $1', [user.id]);
    expect(await t.sql(`SELECT categories, source FROM consent_records WHERE id = $1`, [id])).toEqual([
      { categories: ['STRICTLY_NECESSARY', 'MARKETING'], source: 'SETTINGS' },
    ]);
    expect(await t.sql(`SELECT * FROM consent_record_users WHERE consent_id = $1`, [id])).toEqual([]);
  });

  it('an erasure keeps the person’s choices as proof (what, which version, how, when) but no identifier of theirs: no visitor id anywhere, no address hash', async () => {
    // A visitor chooses, signs up and in on that browser (the choice joins the account), chooses
    // again signed in (once from another address), signs out and chooses again as the visitor.
    const browser = t.client();
    await browser.ok(RECORD, choice(['PERFORMANCE']));
    const visitorId = browser.otherCookies.get('cutout_visitor')!.split('=')[1];
    const email = anEmail('erased-consent');
    const { signUp } = await browser.ok(`mutation($i: SignUpInput!) { signUp(input: $i) { id } }`, { i: { email, password: A_PASSWORD } });
    await browser.ok(`mutation($i: VerifyEmailInput!) { verifyEmail(input: $i) { id } }`, {
      i: { token: await t.tokenFromMail(email, /Verify/), password: A_PASSWORD },
    });
    await browser.ok(`mutation($i: SignInInput!) { signIn(input: $i) { id } }`, { i: { email, password: A_PASSWORD } });
    await browser.ok(RECORD, choice(['MARKETING'], 'SETTINGS'));
    const elsewhere = await t.api.app
      .get(ConsentService)
      .record(
        { kind: 'user', userId: signUp.id },
        { categories: [ConsentCategory.FUNCTIONALITY], policyVersion: COOKIES_VERSION, source: ConsentSource.SETTINGS, ip: '203.0.113.77' },
      );
    await browser.ok(`mutation { signOut }`);
    const afterSignOut = (await browser.ok(RECORD, choice([]))).recordConsent.id as string;

    // Their choices: the ones linked to the account, and the one their browser made after signing out.
    const ids = (
      await t.sql<{ id: string }>(
        `SELECT id FROM consent_records WHERE id IN (SELECT consent_id FROM consent_record_users WHERE user_id = $1) OR visitor_id = $2`,
        [signUp.id, visitorId],
      )
    ).map((r) => r.id);
    expect(ids).toHaveLength(4);
    expect(ids).toContain(afterSignOut);
    const records = () =>
      t.sql<Record<string, unknown>>(
        `SELECT id, categories, policy_version, source, recorded_at, visitor_id, ip_hash FROM consent_records
          WHERE id = ANY($1::uuid[]) ORDER BY recorded_at, id`,
        [ids],
      );
    const before = await records();
    const [{ ip_hash: elsewhereHash }] = await t.sql<{ ip_hash: string }>('SELECT ip_hash FROM consent_records WHERE id = $1', [
      elsewhere.consent.id,
    ]);
    expect(before.every((r) => typeof r.ip_hash === 'string')).toBe(true);
    expect(before.filter((r) => r.visitor_id === visitorId)).toHaveLength(2); // the first choice and the one after sign-out

    const subjects = t.api.app.get(SubjectDataService, { strict: false });
    const receipt = await subjects.erase((await subjects.resolveSubject(signUp.id))!);
    expect(receipt.counts).toMatchObject({ 'consent.consentLinks': 3, 'consent.identifiersCleared': 4 });

    // The proof stays: every choice, with what, which version, how and when; nothing names the person.
    const after = await records();
    const proof = ({ id, categories, policy_version, source, recorded_at }: Record<string, unknown>) => ({
      id,
      categories,
      policy_version,
      source,
      recorded_at,
    });
    expect(after.map(proof)).toEqual(before.map(proof));
    expect(after.map((r) => [r.visitor_id, r.ip_hash])).toEqual(before.map(() => [null, null]));
    // No row of any table holds their visitor id, or the hash of the address only they used.
    const dump = await dumpDatabase(t.env.DATABASE_URL);
    expect(dump.bytes.includes(Buffer.from(visitorId))).toBe(false);
    expect(dump.bytes.includes(Buffer.from(elsewhereHash))).toBe(false);
    // The browser's old cookie reaches none of it, and the next account signed in there adopts none of it.
    expect(await historyIds(browser)).toEqual([]);
    expect((await browser.ok(CONSENT)).consent).toBeNull();
    const next = await aSignedInUser(t, 'next-at-browser');
    await browser.ok(`mutation($i: SignInInput!) { signIn(input: $i) { id } }`, { i: { email: next.email, password: A_PASSWORD } });
    expect(await historyIds(browser)).toEqual([]);
  });

  it('an erasure takes the shared visitor id from another person’s choice made at the same browser, and nothing else of theirs', async () => {
    const browser = t.client();
    const leaving = await aSignedInUser(t, 'leaving-shared-browser');
    const staying = await aSignedInUser(t, 'staying-shared-browser');
    const signInAt = (who: SignedInUser) =>
      browser.ok(`mutation($i: SignInInput!) { signIn(input: $i) { id } }`, { i: { email: who.email, password: A_PASSWORD } });
    const theirs = (await browser.ok(RECORD, choice(['PERFORMANCE']))).recordConsent.id as string;
    await signInAt(leaving); // their choice joins their account
    await browser.ok(`mutation { signOut }`);
    const other = (await browser.ok(RECORD, choice(['MARKETING']))).recordConsent.id as string;
    await signInAt(staying); // the next choice at that browser joins the other person's account
    const row = async (id: string) =>
      (await t.sql<Record<string, unknown>>('SELECT visitor_id, ip_hash, categories FROM consent_records WHERE id = $1', [id]))[0];
    const otherBefore = await row(other);
    expect(otherBefore.visitor_id).toBe((await row(theirs)).visitor_id);

    const subjects = t.api.app.get(SubjectDataService, { strict: false });
    const receipt = await subjects.erase((await subjects.resolveSubject(leaving.id))!);
    expect(receipt.counts).toMatchObject({ 'consent.consentLinks': 1, 'consent.identifiersCleared': 2 });
    expect(await row(theirs)).toEqual({ visitor_id: null, ip_hash: null, categories: ['STRICTLY_NECESSARY', 'PERFORMANCE'] });
    expect(await row(other)).toEqual({ ...otherBefore, visitor_id: null });
    expect(await historyIds(browser)).toEqual([other]);
  });

  it('exports and erases a user’s consent history and policy acceptances through the personal-data registry', async () => {
    const user = await aSignedInUser(t, 'subject');
    const version = PolicyDocuments.load(BUNDLED_POLICY_DOCUMENTS).current(PolicyKind.PRIVACY).version;
    await user.client.ok(`mutation($i: AcceptPolicyInput!) { acceptPolicy(input: $i) { id } }`, { i: { version } });
    const { id } = (await user.client.ok(RECORD, choice(['PERFORMANCE'], 'SETTINGS'))).recordConsent;
    const sources = t.api.app.get(PersonalDataRegistry).sources();
    const consent = sources.find((s) => s.name === 'consent')!;
    const policies = sources.find((s) => s.name === 'policies')!;
    expect([consent.eraseOrder, policies.eraseOrder]).toEqual([10, 10]);
    const subject = { userId: user.id, emailIndex: 'unused', personalTeamIds: [user.personalTeamId] };

    expect((await consent.exportFor!(subject)).data).toEqual([
      {
        categories: ['STRICTLY_NECESSARY', 'PERFORMANCE'],
        policyVersion: COOKIES_VERSION,
        source: 'SETTINGS',
        recordedAt: expect.any(String),
      },
    ]);
    expect((await policies.exportFor!(subject)).data).toEqual([{ kind: 'PRIVACY', version, acceptedAt: expect.any(String) }]);

    const dataSource = t.api.app.get<DataSource>(DATA_SOURCE);
    const counts = await dataSource.transaction(async (m) => [
      (await consent.erase!(subject, m)).counts,
      (await policies.erase!(subject, m)).counts,
    ]);
    expect(counts).toEqual([{ consentLinks: 1, identifiersCleared: 1 }, { policyAcceptances: 1 }]);
    expect(await t.sql(`SELECT count(*)::int AS n FROM consent_records WHERE id = $1`, [id])).toEqual([{ n: 1 }]);
    expect((await consent.exportFor!(subject)).data).toEqual([]);
    expect((await user.client.ok(`{ me { mustAcceptPolicy } }`)).me.mustAcceptPolicy).toBe(true);
  });
});
