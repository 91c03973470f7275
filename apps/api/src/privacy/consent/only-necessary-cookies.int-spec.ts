import { A_PASSWORD, anEmail } from '../../../testing/builders';
import type { GraphqlResponse } from '../../../testing/graphql-client';
import { uploadImage } from '../../../testing/jobs-client';
import { startTestApi, type TestApi } from '../../../testing/test-api';
import { aNoisePng } from '../../../testing/test-images';

const STRICTLY_NECESSARY = ['cutout_session', 'cutout_visitor'];

describe('the API sets only strictly necessary cookies', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi();
  });
  afterAll(() => t.close());

  it('a full journey of a visitor who declines everything: every Set-Cookie is cutout_session or cutout_visitor, HttpOnly', async () => {
    const seen: { step: string; cookie: string }[] = [];
    const browser = t.client();
    /** One GraphQL step of the journey: must succeed; its Set-Cookie headers are kept for the check. */
    const step = async <T = Record<string, any>>(name: string, query: string, variables?: Record<string, unknown>): Promise<T> => {
      const res: GraphqlResponse<T> = await browser.gql<T>(query, variables);
      if (res.errors?.length) throw new Error(`${name}: ${JSON.stringify(res.errors)}`);
      for (const cookie of res.setCookie) seen.push({ step: name, cookie });
      return res.data as T;
    };
    const rest = async (name: string, path: string) => {
      const res = await fetch(`${t.url}${path}`, { headers: { cookie: browser.cookieHeader() ?? '' } });
      for (const cookie of res.headers.getSetCookie()) seen.push({ step: name, cookie });
      return res;
    };

    // A visitor reads the policies and declines everything on the banner.
    expect((await rest('healthz', '/healthz')).status).toBe(200);
    const { policies } = await step<{ policies: { kind: string; version: string }[] }>('policies', `{ policies { kind version } }`);
    const version = (kind: string) => policies.find((p) => p.kind === kind)!.version;
    await step('consent before choosing', `{ consent { id } }`);
    const declined = await step('banner', `mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id categories } }`, {
      i: { categories: [], policyVersion: version('COOKIES'), source: 'BANNER' },
    });
    expect(declined).toEqual({ recordConsent: { id: expect.any(String), categories: ['STRICTLY_NECESSARY'] } });

    // Signs up accepting the privacy policy, verifies (which signs in on this browser), signs in again.
    const email = anEmail('journey');
    await step('sign up', `mutation($i: SignUpInput!) { signUp(input: $i) { id } }`, {
      i: { email, password: A_PASSWORD, acceptedPolicyVersion: version('PRIVACY') },
    });
    await step('verify', `mutation($i: VerifyEmailInput!) { verifyEmail(input: $i) { id } }`, {
      i: { token: await t.tokenFromMail(email, /Verify/), password: A_PASSWORD },
    });
    await step('sign in', `mutation($i: SignInInput!) { signIn(input: $i) { id } }`, { i: { email, password: A_PASSWORD } });
    const { me } = await step('me', `{ me { id email mustAcceptPolicy } }`);
    expect(me).toMatchObject({ email, mustAcceptPolicy: false });

    // Changes the cookie choice in the settings; the banner's choice joined the account at sign-in.
    await step('settings', `mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id } }`, {
      i: { categories: ['FUNCTIONALITY'], policyVersion: version('COOKIES'), source: 'SETTINGS' },
    });
    const { consentHistory } = await step('history', `{ consentHistory { edges { node { source categories } } } }`);
    expect(consentHistory.edges.map((e: { node: { source: string } }) => e.node.source)).toEqual(['BANNER', 'SETTINGS']);

    // The usual signed-in work.
    const { teams } = await step('teams', `{ teams { edges { node { id personal members { edges { node { role } } } } } } }`);
    const teamId = teams.edges.find((e: { node: { personal: boolean } }) => e.node.personal).node.id;
    await step('balance', `query($id: ID!) { creditBalance(teamId: $id) { available } }`, { id: teamId });
    await step('prices', `{ prices { preview full } }`);
    await step('create key', `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }`, { i: { teamId, name: 'journey' } });
    await step('keys', `query($id: ID!) { apiKeys(teamId: $id) { edges { node { id } } } }`, { id: teamId });
    const upload = await uploadImage(browser, teamId, await aNoisePng(20_000, 64));
    expect(upload.put.status).toBeLessThan(300);
    for (const cookie of upload.put.headers.getSetCookie()) seen.push({ step: 'upload PUT', cookie });
    await step('jobs', `query($id: ID!) { jobs(teamId: $id) { edges { node { id } } } }`, { id: teamId });
    await step('sign out', `mutation { signOut }`);
    expect(browser.cookie).toBeUndefined();

    // Every cookie set on the way: strictly necessary, HttpOnly; and both were in fact set (the check saw something).
    const names = seen.map((s) => s.cookie.slice(0, s.cookie.indexOf('=')));
    expect(names.filter((n) => !STRICTLY_NECESSARY.includes(n))).toEqual([]);
    expect(seen.filter((s) => !/;\s*HttpOnly(;|$)/i.test(s.cookie))).toEqual([]);
    expect(seen.filter((s) => !/;\s*SameSite=Lax(;|$)/i.test(s.cookie))).toEqual([]);
    expect(new Set(names)).toEqual(new Set(STRICTLY_NECESSARY));
    expect(seen.map((s) => s.step)).toEqual(['banner', 'verify', 'sign in', 'sign out']);
  });
});
