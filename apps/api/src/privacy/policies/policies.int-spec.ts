import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from '@cutout/embedded-db';
import { A_PASSWORD, aSignedInUser, anApiKey, anEmail } from '../../../testing/builders';
import { TestClient } from '../../../testing/graphql-client';
import { startTestApi, type TestApi } from '../../../testing/test-api';
import { startApi } from '../../bootstrap/start-api';
import { createLogger } from '../../common/logger';
import { loadApiConfig } from '../../config/api.config';
import { BUNDLED_POLICY_DOCUMENTS, PolicyDocuments } from './policy-documents';
import { PolicyKind } from './dto/policy-kind.enum';

const SIGN_UP = `mutation($i: SignUpInput!) { signUp(input: $i) { id mustAcceptPolicy } }`;
const ME = `{ me { id mustAcceptPolicy } }`;
const ACCEPT = `mutation($i: AcceptPolicyInput!) { acceptPolicy(input: $i) { id mustAcceptPolicy } }`;
const bundled = PolicyDocuments.load(BUNDLED_POLICY_DOCUMENTS);
const CURRENT_PRIVACY = bundled.current(PolicyKind.PRIVACY).version;

describe('policy documents and their acceptance', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi();
  });
  afterAll(() => t.close());

  /** Signs up (optionally accepting a version), verifies from the mailbox and signs in. */
  async function aUserWhoSignedUp(acceptedPolicyVersion?: string): Promise<{ client: TestClient; id: string; email: string }> {
    const email = anEmail('policy');
    const client = t.client();
    const { signUp } = await client.ok(SIGN_UP, { i: { email, password: A_PASSWORD, acceptedPolicyVersion } });
    expect(signUp.mustAcceptPolicy).toBe(acceptedPolicyVersion === undefined);
    await client.ok(`mutation($i: VerifyEmailInput!) { verifyEmail(input: $i) { id } }`, {
      i: { token: await t.tokenFromMail(email, /Verify/), password: A_PASSWORD },
    });
    await client.ok(`mutation($i: SignInInput!) { signIn(input: $i) { id } }`, { i: { email, password: A_PASSWORD } });
    return { client, id: signUp.id, email };
  }
  const acceptances = (userId: string) => t.sql(`SELECT kind, version FROM policy_acceptances WHERE user_id = $1`, [userId]);
  const acceptedEntries = (userId: string) =>
    t.sql<{ details: Record<string, unknown> }>(`SELECT details FROM audit_log WHERE action = 'POLICY_ACCEPTED' AND subject_user_id = $1`, [
      userId,
    ]);

  it('serves the current privacy and cookie policies to anyone, without signing in', async () => {
    const anonymous = t.client();
    const { policies } = await anonymous.ok(`{ policies { kind version title publishedAt markdown } }`);
    expect(policies.map((p: { kind: string }) => p.kind)).toEqual(['PRIVACY', 'COOKIES']);
    for (const p of policies) {
      const document = bundled.current(p.kind);
      expect(p).toEqual({
        kind: document.kind,
        version: document.version,
        title: document.title,
        publishedAt: document.publishedAt.toISOString(),
        markdown: document.markdown,
      });
    }
    const { policy } = await anonymous.ok(`{ policy(kind: COOKIES) { kind version markdown } }`);
    expect(policy.version).toBe(bundled.current(PolicyKind.COOKIES).version);
    expect(policy.markdown).toContain('cutout_visitor');
    const byVersion = await anonymous.ok(`query($v: String) { policy(kind: PRIVACY, version: $v) { version } }`, { v: CURRENT_PRIVACY });
    expect(byVersion.policy.version).toBe(CURRENT_PRIVACY);
    expect(await anonymous.errorCode(`{ policy(kind: PRIVACY, version: "1999-01-01") { version } }`)).toBe('NOT_FOUND');
    expect(await anonymous.errorCode(`{ policy(kind: TERMS) { version } }`)).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('records the acceptance at sign-up when it names the current version (audited), so nothing is asked afterwards', async () => {
    const user = await aUserWhoSignedUp(CURRENT_PRIVACY);
    expect((await user.client.ok(ME)).me).toEqual({ id: user.id, mustAcceptPolicy: false });
    expect(await acceptances(user.id)).toEqual([{ kind: 'PRIVACY', version: CURRENT_PRIVACY }]);
    expect((await acceptedEntries(user.id)).map((e) => e.details)).toEqual([{ kind: 'PRIVACY', version: CURRENT_PRIVACY, via: 'SIGN_UP' }]);
  });

  it('refuses a sign-up with an old or unknown policy version: BAD_USER_INPUT on acceptedPolicyVersion, no account, no mail', async () => {
    for (const version of ['2020-01-01', 'latest', '']) {
      const email = anEmail('old-version');
      const users = await t.sql(`SELECT count(*)::int AS n FROM users`);
      const res = await t.client().gql(SIGN_UP, { i: { email, password: A_PASSWORD, acceptedPolicyVersion: version } });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'acceptedPolicyVersion' });
      expect(res.errors?.[0].message).toContain(CURRENT_PRIVACY);
      expect(await t.sql(`SELECT count(*)::int AS n FROM users`)).toEqual(users);
      expect((await t.mailbox()).filter((m) => m.to === email)).toEqual([]);
    }
  });

  it('answers a sign-up of a known email as it answers a new account, acceptance included (no enumeration)', async () => {
    const user = await aUserWhoSignedUp();
    const again = await t.client().ok(SIGN_UP, { i: { email: user.email, password: A_PASSWORD, acceptedPolicyVersion: CURRENT_PRIVACY } });
    expect(again.signUp.mustAcceptPolicy).toBe(false);
    // The existing account did not accept anything by this.
    expect(await acceptances(user.id)).toEqual([]);
  });

  it('asks a user who did not accept at sign-up until acceptPolicy names the current version; accepting again changes nothing', async () => {
    const user = await aUserWhoSignedUp();
    expect((await user.client.ok(ME)).me.mustAcceptPolicy).toBe(true);

    for (const version of ['2020-01-01', 'nonsense']) {
      const res = await user.client.gql(ACCEPT, { i: { version } });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'version' });
    }
    expect((await user.client.ok(ME)).me.mustAcceptPolicy).toBe(true);
    expect(await acceptances(user.id)).toEqual([]);

    expect((await user.client.ok(ACCEPT, { i: { version: CURRENT_PRIVACY } })).acceptPolicy).toEqual({
      id: user.id,
      mustAcceptPolicy: false,
    });
    expect((await user.client.ok(ACCEPT, { i: { version: CURRENT_PRIVACY } })).acceptPolicy.mustAcceptPolicy).toBe(false);
    expect((await user.client.ok(ME)).me.mustAcceptPolicy).toBe(false);
    expect(await acceptances(user.id)).toHaveLength(1);
    expect((await acceptedEntries(user.id)).map((e) => e.details)).toEqual([
      { kind: 'PRIVACY', version: CURRENT_PRIVACY, via: 'ACCEPT_POLICY' },
    ]);
  });

  it('lets only a signed-in person accept: anonymous is UNAUTHENTICATED, an API key FORBIDDEN', async () => {
    const owner = await aSignedInUser(t, 'key-owner');
    const key = await anApiKey(owner, owner.personalTeamId);
    expect(await t.client().errorCode(ACCEPT, { i: { version: CURRENT_PRIVACY } })).toBe('UNAUTHENTICATED');
    expect(
      await t
        .client()
        .withApiKey(key)
        .errorCode(ACCEPT, { i: { version: CURRENT_PRIVACY } }),
    ).toBe('FORBIDDEN');
    expect(await acceptances(owner.id)).toEqual([]);
  });

  it('asks again once a newer version is published, and then only the newer version can be accepted', async () => {
    const user = await aUserWhoSignedUp(CURRENT_PRIVACY);
    // Publishing: a documents folder with one more privacy version, served by a replica started with it.
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cutout-policies-'));
    fs.cpSync(BUNDLED_POLICY_DOCUMENTS, folder, { recursive: true });
    const NEWER = '2099-01-31';
    fs.writeFileSync(path.join(folder, 'privacy', `${NEWER}.md`), '# Cutout privacy policy\n\nA newer version.\n');
    const replica = await startApi(
      loadApiConfig({ ...t.env, ROLE: 'api', PORT: String(await findFreePort()), POLICY_DOCUMENTS_DIR: folder }),
      createLogger('silent'),
    );
    try {
      const onReplica = new TestClient(`http://127.0.0.1:${replica.port}`);
      onReplica.cookie = user.client.cookie;
      expect((await onReplica.ok(`{ policy(kind: PRIVACY) { version } }`)).policy.version).toBe(NEWER);
      expect((await onReplica.ok(ME)).me.mustAcceptPolicy).toBe(true);
      const old = await onReplica.gql(ACCEPT, { i: { version: CURRENT_PRIVACY } });
      expect(old.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'version' });
      expect((await onReplica.ok(ACCEPT, { i: { version: NEWER } })).acceptPolicy.mustAcceptPolicy).toBe(false);
      expect(await acceptances(user.id)).toEqual(
        expect.arrayContaining([
          { kind: 'PRIVACY', version: CURRENT_PRIVACY },
          { kind: 'PRIVACY', version: NEWER },
        ]),
      );
    } finally {
      await replica.close();
    }
  });
});
