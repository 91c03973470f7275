import { A_PASSWORD, aSignedInUser, aTeamWithMembers, anApiKey, anEmail } from '../../testing/builders';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../common/tokens';
import { startTestApi, type TestApi } from '../../testing/test-api';

const SIGN_UP = `mutation($i: SignUpInput!) { signUp(input: $i) { id } }`;
const VERIFY = `mutation($i: VerifyEmailInput!) { verifyEmail(input: $i) { id email emailVerified } }`;
const SIGN_IN = `mutation($i: SignInInput!) { signIn(input: $i) { id } }`;
const RESEND = `mutation($i: ResendVerificationInput!) { resendVerification(input: $i) }`;
const RESET_REQUEST = `mutation($i: RequestPasswordResetInput!) { requestPasswordReset(input: $i) }`;
const ME = `{ me { id } }`;
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

  const mailsTo = async (email: string) => (await t.mailbox()).filter((m) => m.to === email);

  it('a second sign-up of an unverified address kills its verification links and the first password; the mail lets the owner choose one, which verifies', async () => {
    const email = anEmail('victim');
    const attacker = t.client();
    await attacker.ok(SIGN_UP, { i: { email, password: 'attacker-chosen-pass-1' } });
    const attackersLink = await t.tokenFromMail(email, /Verify/);

    const victim = t.client();
    await victim.ok(SIGN_UP, { i: { email, password: 'victims-own-pass-22' } });
    // The link of the first sign-up is dead, and its password opens nothing.
    expect(await victim.errorCode(VERIFY, { i: { token: attackersLink, password: 'victims-own-pass-22' } })).toBe('INVALID_TOKEN');
    expect(await attacker.errorCode(SIGN_IN, { i: { email, password: 'attacker-chosen-pass-1' } })).toBe('UNAUTHENTICATED');

    // "Send the link again" (the check-your-mail page) sends a set-password link too, never a verification link.
    await victim.ok(RESEND, { i: { email } });
    const mails = await mailsTo(email);
    expect(mails.map((m) => m.subject)).toEqual([
      expect.stringMatching(/choose.*password/i),
      expect.stringMatching(/choose.*password/i),
      expect.stringMatching(/Verify/),
    ]);
    expect(mails[1].text).toMatch(/already|again/i);
    expect(mails[0].text).toContain(`http://localhost:${t.api.port}/reset-password?token=`);

    // The owner follows the link in her mailbox and chooses her password: that verifies the account.
    const { resetPassword } = await victim.ok(RESET, {
      i: { token: await t.tokenFromMail(email, /password/i), password: 'victims-new-pass-333' },
    });
    expect(resetPassword.emailVerified).toBe(true);
    await victim.ok(SIGN_IN, { i: { email, password: 'victims-new-pass-333' } });
    expect(await attacker.errorCode(SIGN_IN, { i: { email, password: 'attacker-chosen-pass-1' } })).toBe('UNAUTHENTICATED');
  });

  it('a completed password reset revokes every API key the user made (any team, audited); others’ keys go on', async () => {
    const user = await aSignedInUser(t, 'keys');
    const other = await aSignedInUser(t, 'other');
    const shared = await aTeamWithMembers(t, other, [{ user, role: 'ADMIN' }]);
    const personalKey = await anApiKey(user, user.personalTeamId);
    const sharedKey = await anApiKey(user, shared);
    const othersKey = await anApiKey(other, shared);

    await t.client().ok(RESET_REQUEST, { i: { email: user.email } });
    await t.client().ok(RESET, { i: { token: await t.tokenFromMail(user.email, /Reset/), password: 'brand-new-passphrase-9' } });

    expect(await t.client().withApiKey(personalKey).errorCode(ME)).toBe('UNAUTHENTICATED');
    expect(await t.client().withApiKey(sharedKey).errorCode(ME)).toBe('UNAUTHENTICATED');
    expect((await t.client().withApiKey(othersKey).ok(ME)).me.id).toBe(other.id);
    const audited = await t.sql<{ team_id: string; actor_user_id: string }>(
      `SELECT team_id, actor_user_id FROM audit_log WHERE action = 'API_KEY_REVOKED' AND team_id = ANY($1) ORDER BY team_id`,
      [[user.personalTeamId, shared]],
    );
    expect(audited).toEqual(
      expect.arrayContaining([
        { team_id: user.personalTeamId, actor_user_id: user.id },
        { team_id: shared, actor_user_id: user.id },
      ]),
    );
    expect(audited).toHaveLength(2);
  });

  it('the review’s repro: the victim’s click on the link of the attacker’s sign-up no longer verifies the account for the attacker', async () => {
    const email = anEmail('repro');
    const attacker = t.client();
    await attacker.ok(SIGN_UP, { i: { email, password: 'attacker-chosen-pass-1' } });
    const attackersLink = await t.tokenFromMail(email, /Verify/);
    await t.client().ok(SIGN_UP, { i: { email, password: 'victims-own-pass-22' } });
    // Before the fix the victim's click verified the account with the attacker's password.
    const clicked = await t.client().gql(VERIFY, { i: { token: attackersLink, password: 'attacker-chosen-pass-1' } });
    expect(clicked.errors?.[0]?.extensions?.code).toBe('INVALID_TOKEN');
    expect(await attacker.errorCode(SIGN_IN, { i: { email, password: 'attacker-chosen-pass-1' } })).toBe('UNAUTHENTICATED');
  });

  it('a click on the verification link by someone who does not know the account’s password confirms nothing; the owner’s own password still does', async () => {
    // Regression: the link alone verified the account, so the mailbox owner's stray click on the mail of a sign-up
    // someone else made with her address handed that person a verified account (and invitations to her address).
    const email = anEmail('stray-click');
    const attacker = t.client();
    const { signUp } = await attacker.ok(SIGN_UP, { i: { email, password: 'attacker-chosen-pass-1' } });
    const link = await t.tokenFromMail(email, /Verify/);
    const mailbox = t.client();
    for (const password of ['victims-own-pass-22', '', 'x'.repeat(5000)]) {
      const res = await mailbox.gql(VERIFY, { i: { token: link, password } });
      expect(res.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/not the password/),
        extensions: { code: 'UNAUTHENTICATED' },
      });
      expect(res.setCookie).toEqual([]);
    }
    expect(await t.sql('SELECT email_verified_at FROM users WHERE id = $1', [signUp.id])).toEqual([{ email_verified_at: null }]);
    expect(await t.sql(`SELECT count(*)::int AS n FROM sessions WHERE user_id = $1`, [signUp.id])).toEqual([{ n: 0 }]);
    expect(await attacker.errorCode(SIGN_IN, { i: { email, password: 'attacker-chosen-pass-1' } })).toBe('EMAIL_NOT_VERIFIED');
    // The link was not used up: whoever made the account (and holds the link) confirms it with its password.
    const { verifyEmail } = await attacker.ok(VERIFY, { i: { token: link, password: 'attacker-chosen-pass-1' } });
    expect(verifyEmail).toMatchObject({ id: signUp.id, emailVerified: true });
  });

  it('a password reset and a verification of one account waiting on it together never deadlock: the reset wins, the link is used up', async () => {
    // Review finding: the reset locked the account row before the verification links, the verification the other way
    // round. Held here: the account row, while the reset and then the verification queue behind it.
    const email = anEmail('race');
    const client = t.client();
    const { signUp } = await client.ok(SIGN_UP, { i: { email, password: A_PASSWORD } });
    const link = await t.tokenFromMail(email, /Verify/);
    await client.ok(RESET_REQUEST, { i: { email } });
    const resetToken = await t.tokenFromMail(email, /Reset/);
    const holder = t.api.app.get<DataSource>(DATA_SOURCE).createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    const waiting = async (n: number) => {
      for (let i = 0; i < 200; i++) {
        const [{ count }] = await t.sql<{ count: number }>(
          `SELECT count(*)::int AS count FROM pg_stat_activity WHERE wait_event_type = 'Lock'`,
        );
        if (count >= n) return;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`fewer than ${n} transactions waiting`);
    };
    try {
      await holder.query('SELECT id FROM users WHERE id = $1 FOR UPDATE', [signUp.id]);
      const reset = t.client().gql(RESET, { i: { token: resetToken, password: 'brand-new-passphrase-10' } });
      await waiting(1);
      const verified = t.client().gql(VERIFY, { i: { token: link, password: A_PASSWORD } });
      await waiting(2);
      await holder.commitTransaction();
      const [afterReset, afterVerify] = await Promise.all([reset, verified]);
      expect(afterReset.errors).toBeUndefined();
      expect(afterVerify.errors?.map((e) => e.extensions?.code)).toEqual(['INVALID_TOKEN']);
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
    expect(await t.sql('SELECT email_verified_at IS NOT NULL AS verified FROM users WHERE id = $1', [signUp.id])).toEqual([
      { verified: true },
    ]);
    expect(t.logs().filter((l) => l.msg === 'unexpected GraphQL error')).toEqual([]);
  });

  it('verifying consumes every verification link of the account: the others answer INVALID_TOKEN', async () => {
    const email = anEmail('twice');
    const client = t.client();
    await client.ok(SIGN_UP, { i: { email, password: A_PASSWORD } });
    const first = await t.tokenFromMail(email, /Verify/);
    await client.ok(RESEND, { i: { email } });
    const second = await t.tokenFromMail(email, /Verify/);
    expect(second).not.toBe(first);
    await client.ok(VERIFY, { i: { token: second, password: A_PASSWORD } });
    const res = await client.gql(VERIFY, { i: { token: first, password: A_PASSWORD } });
    expect(res.errors?.[0]?.extensions?.code).toBe('INVALID_TOKEN');
    expect(res.data?.verifyEmail ?? null).toBeNull();

    // A reset of an unverified account verifies it, and ends its verification links too.
    const unverified = anEmail('reset-first');
    await client.ok(SIGN_UP, { i: { email: unverified, password: A_PASSWORD } });
    const link = await t.tokenFromMail(unverified, /Verify/);
    await client.ok(RESET_REQUEST, { i: { email: unverified } });
    await client.ok(RESET, { i: { token: await t.tokenFromMail(unverified, /Reset/), password: 'brand-new-passphrase-10' } });
    expect(await client.errorCode(VERIFY, { i: { token: link, password: 'brand-new-passphrase-10' } })).toBe('INVALID_TOKEN');
  });
});
