import { A_PASSWORD, anEmail } from '../../testing/builders';
import { startTestApi, type TestApi } from '../../testing/test-api';

const SIGN_UP = `mutation($i: SignUpInput!) { signUp(input: $i) { id } }`;
const VERIFY = `mutation($i: VerifyEmailInput!) { verifyEmail(input: $i) { id email emailVerified } }`;
const RESEND = `mutation($i: ResendVerificationInput!) { resendVerification(input: $i) }`;
const RESET_REQUEST = `mutation($i: RequestPasswordResetInput!) { requestPasswordReset(input: $i) }`;
const RESET = `mutation($i: ResetPasswordInput!) { resetPassword(input: $i) { id emailVerified } }`;

/**
 * Account pre-hijacking: whoever owns the mailbox ends up in control of the account, and nobody
 * else keeps a way in (security review, finding B).
 */
describe('accounts: the mailbox owner wins', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi();
  });
  afterAll(() => t?.close());

  it('verifying consumes every verification link of the account: the others answer INVALID_TOKEN', async () => {
    const email = anEmail('twice');
    const client = t.client();
    await client.ok(SIGN_UP, { i: { email, password: A_PASSWORD } });
    const first = await t.tokenFromMail(email, /Verify/);
    await client.ok(RESEND, { i: { email } });
    const second = await t.tokenFromMail(email, /Verify/);
    expect(second).not.toBe(first);
    await client.ok(VERIFY, { i: { token: second } });
    const res = await client.gql(VERIFY, { i: { token: first } });
    expect(res.errors?.[0]?.extensions?.code).toBe('INVALID_TOKEN');
    expect(res.data?.verifyEmail ?? null).toBeNull();

    // A reset of an unverified account verifies it, and ends its verification links too.
    const unverified = anEmail('reset-first');
    await client.ok(SIGN_UP, { i: { email: unverified, password: A_PASSWORD } });
    const link = await t.tokenFromMail(unverified, /Verify/);
    await client.ok(RESET_REQUEST, { i: { email: unverified } });
    await client.ok(RESET, { i: { token: await t.tokenFromMail(unverified, /Reset/), password: 'brand-new-passphrase-10' } });
    expect(await client.errorCode(VERIFY, { i: { token: link } })).toBe('INVALID_TOKEN');
  });
});
