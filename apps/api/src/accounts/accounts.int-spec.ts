import { A_PASSWORD, aSignedInUser, anEmail } from '../../testing/builders';
import { startTestApi, type TestApi } from '../../testing/test-api';

const SIGN_UP = `mutation($i: SignUpInput!) { signUp(input: $i) { id email emailVerified } }`;
const VERIFY = `mutation($i: VerifyEmailInput!) { verifyEmail(input: $i) { id emailVerified } }`;
const SIGN_IN = `mutation($i: SignInInput!) { signIn(input: $i) { id email } }`;
const ME = `{ me { id email emailVerified isPlatformAdmin } }`;
const RESET_REQUEST = `mutation($i: RequestPasswordResetInput!) { requestPasswordReset(input: $i) }`;
const RESET = `mutation($i: ResetPasswordInput!) { resetPassword(input: $i) { id } }`;
const RESEND = `mutation($i: ResendVerificationInput!) { resendVerification(input: $i) }`;

describe('accounts', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({ SIGN_IN_FAILURES_BEFORE_DELAY: '4' });
  });
  afterAll(() => t?.close());

  it('signs up, verifies by mail, signs in with an HttpOnly cookie and signs out', async () => {
    const email = anEmail('ada');
    const client = t.client();
    const { signUp } = await client.ok(SIGN_UP, { i: { email: ` ${email.toUpperCase()} `, password: A_PASSWORD } });
    expect(signUp).toMatchObject({ email, emailVerified: false });
    expect(await client.errorCode(SIGN_IN, { i: { email, password: A_PASSWORD } })).toBe('EMAIL_NOT_VERIFIED');

    const [mail] = await t.mailbox();
    expect(mail).toMatchObject({ to: email, subject: expect.stringMatching(/Verify/) });
    expect(mail.text).toContain(`http://localhost:${t.api.port}/verify-email?token=`);
    const token = await t.tokenFromMail(email);
    // The link's page: the password the account was made with confirms the address and signs in there.
    const linkTab = t.client();
    const verified = await linkTab.gql(VERIFY, { i: { token, password: A_PASSWORD } });
    expect(verified.data?.verifyEmail).toEqual({ id: signUp.id, emailVerified: true });
    expect(verified.setCookie[0]).toMatch(/^cutout_session=[\w-]+; Path=\/; Expires=.+; HttpOnly; SameSite=Lax$/);
    expect((await linkTab.ok(ME)).me).toMatchObject({ id: signUp.id, emailVerified: true });

    const signIn = await client.gql(SIGN_IN, { i: { email, password: A_PASSWORD } });
    expect(signIn.data?.signIn).toEqual({ id: signUp.id, email });
    expect(signIn.setCookie[0]).toMatch(/^cutout_session=[\w-]+; Path=\/; Expires=.+; HttpOnly; SameSite=Lax$/);
    expect((await client.ok(ME)).me).toEqual({ id: signUp.id, email, emailVerified: true, isPlatformAdmin: false });

    const stolenCookie = client.cookie;
    expect((await client.ok(`mutation { signOut }`)).signOut).toBe(true);
    expect(client.cookie).toBeUndefined();
    const replay = t.client();
    replay.cookie = stolenCookie;
    expect(await replay.errorCode(ME)).toBe('UNAUTHENTICATED');
  });

  it('signs out everywhere: every session of the user ends', async () => {
    const user = await aSignedInUser(t, 'everywhere');
    const laptop = t.client();
    await laptop.ok(SIGN_IN, { i: { email: user.email, password: A_PASSWORD } });
    expect((await user.client.ok(`mutation { signOut(input: { everywhere: true }) }`)).signOut).toBe(true);
    expect(await laptop.errorCode(ME)).toBe('UNAUTHENTICATED');
    expect(await user.client.errorCode(ME)).toBe('UNAUTHENTICATED');
  });

  it('stores emails encrypted with a blind index, never in plain text', async () => {
    const user = await aSignedInUser(t, 'private');
    const rows = await t.sql<Record<string, string>>('SELECT * FROM users WHERE id = $1', [user.id]);
    expect(JSON.stringify(rows)).not.toContain(user.email.split('@')[0]);
    expect(rows[0].email_ciphertext).toMatch(/^v1\./);
    expect(rows[0].email_index).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
  });

  it('creates a personal team owned by the new user', async () => {
    const user = await aSignedInUser(t, 'personal');
    const { team } = await user.client.ok(`query($id: ID!) { team(id: $id) { personal viewerRole } }`, { id: user.personalTeamId });
    expect(team).toEqual({ personal: true, viewerRole: 'OWNER' });
  });

  it('answers a sign-up for an existing email exactly like a new one, without a second account', async () => {
    const user = await aSignedInUser(t, 'exists');
    const usersBefore = await t.sql<{ n: string }>('SELECT count(*) AS n FROM users');
    const res = await t.client().gql(SIGN_UP, { i: { email: user.email, password: 'another-long-passphrase' } });
    expect(res.errors).toBeUndefined();
    expect(res.data?.signUp).toMatchObject({ email: user.email, emailVerified: false });
    expect((res.data?.signUp as { id: string }).id).not.toBe(user.id);
    const [mail] = await t.mailbox();
    expect(mail).toMatchObject({ to: user.email, subject: expect.stringMatching(/already|tried/i) });
    // No second account: the user count did not move, and the old password still signs in.
    expect(await t.sql<{ n: string }>('SELECT count(*) AS n FROM users')).toEqual(usersBefore);
    const stillSignsIn = await t.client().gql(SIGN_IN, { i: { email: user.email, password: A_PASSWORD } });
    expect(stillSignsIn.errors).toBeUndefined();
    expect((stillSignsIn.data?.signIn as { id: string }).id).toBe(user.id);
  });

  it.each([
    ['a malformed email', { email: 'not-an-email', password: A_PASSWORD }, 'email'],
    ['a short password', { email: 'short@example.com', password: 'short' }, 'password'],
    ['a common password', { email: 'common@example.com', password: 'password123' }, 'password'],
  ])('rejects %s with BAD_USER_INPUT and creates nothing', async (_label, input, field) => {
    const before = await t.sql<{ n: string }>('SELECT count(*) AS n FROM users');
    const res = await t.client().gql(SIGN_UP, { i: input });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await t.sql<{ n: string }>('SELECT count(*) AS n FROM users')).toEqual(before);
  });

  it('rejects unknown, reused and expired verification tokens with INVALID_TOKEN', async () => {
    const email = anEmail('tokens');
    const client = t.client();
    await client.ok(SIGN_UP, { i: { email, password: A_PASSWORD } });
    expect(await client.errorCode(VERIFY, { i: { token: 'made-up-token', password: A_PASSWORD } })).toBe('INVALID_TOKEN');
    const token = await t.tokenFromMail(email);
    await client.ok(VERIFY, { i: { token, password: A_PASSWORD } });
    expect(await client.errorCode(VERIFY, { i: { token, password: A_PASSWORD } })).toBe('INVALID_TOKEN');

    const other = anEmail('expired');
    await client.ok(SIGN_UP, { i: { email: other, password: A_PASSWORD } });
    const expired = await t.tokenFromMail(other);
    await t.sql(`UPDATE account_tokens SET expires_at = now() - interval '1 minute' WHERE used_at IS NULL AND purpose = 'VERIFY_EMAIL'`);
    const res = await client.gql(VERIFY, { i: { token: expired, password: A_PASSWORD } });
    expect(res.errors?.[0]).toMatchObject({ message: expect.stringMatching(/expired/), extensions: { code: 'INVALID_TOKEN' } });
    expect(await client.errorCode(SIGN_IN, { i: { email: other, password: A_PASSWORD } })).toBe('EMAIL_NOT_VERIFIED');

    expect((await client.ok(RESEND, { i: { email: other } })).resendVerification).toBe(true);
    await client.ok(VERIFY, { i: { token: await t.tokenFromMail(other), password: A_PASSWORD } });
  });

  it('carries next (where to go after signing in) in the verification link of sign-up and resend, and refuses one that is not a path here', async () => {
    const invitation = '/invitations/accept?token=inv-123';
    const email = anEmail('returns');
    const client = t.client();
    await client.ok(SIGN_UP, { i: { email, password: A_PASSWORD, next: invitation } });
    await client.ok(RESEND, { i: { email, next: '/history?status=FAILED' } });
    const links = (await t.mailbox())
      .filter((m) => m.to === email && /Verify/.test(m.subject))
      .map((m) => new URL(/https?:\/\/\S+\/verify-email\?\S+/.exec(m.text)?.[0] ?? 'http://none/'));
    // (The dev mailbox lists the newest first.)
    expect(links.map((l) => [l.pathname, l.searchParams.get('next'), !!l.searchParams.get('token')]).reverse()).toEqual([
      ['/verify-email', invitation, true],
      ['/verify-email', '/history?status=FAILED', true],
    ]);
    // Without next, the link has none.
    const plain = anEmail('plain');
    await client.ok(SIGN_UP, { i: { email: plain, password: A_PASSWORD } });
    const mail = (await t.mailbox()).find((m) => m.to === plain);
    expect(mail?.text).toMatch(/\/verify-email\?token=[^\s&]+(\s|$)/);

    // Another site, a scheme or a protocol-relative host: BAD_USER_INPUT (field next); no account, no mail.
    const mailsBefore = (await t.mailbox()).length;
    const usersBefore = await t.sql<{ n: string }>('SELECT count(*) AS n FROM users');
    for (const next of ['//evil.example/phish', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
      const res = await t.client().gql(SIGN_UP, { i: { email: anEmail('hostile'), password: A_PASSWORD, next } });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'next' });
      const resend = await t.client().gql(RESEND, { i: { email: plain, next } });
      expect(resend.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'next' });
    }
    expect(await t.sql<{ n: string }>('SELECT count(*) AS n FROM users')).toEqual(usersBefore);
    expect((await t.mailbox()).length).toBe(mailsBefore);
  });

  it('gives the same answer for a wrong password and an unknown email', async () => {
    const user = await aSignedInUser(t, 'wrongpw');
    const wrong = await t.client().gql(SIGN_IN, { i: { email: user.email, password: 'not-the-password-1' } });
    const unknown = await t.client().gql(SIGN_IN, { i: { email: anEmail('nobody'), password: 'not-the-password-1' } });
    expect(wrong.errors?.[0]).toMatchObject({ message: 'Invalid email or password.', extensions: { code: 'UNAUTHENTICATED' } });
    expect(unknown.errors?.[0]).toEqual(wrong.errors?.[0]);
    expect((await t.client().ok(RESET_REQUEST, { i: { email: anEmail('nobody') } })).requestPasswordReset).toBe(true);
    expect((await t.client().ok(RESEND, { i: { email: anEmail('nobody') } })).resendVerification).toBe(true);
  });

  it('counts wrong passwords on the verification link in the sign-in backoff of the address and client', async () => {
    const email = anEmail('verify-guess');
    const client = t.client();
    await client.ok(SIGN_UP, { i: { email, password: A_PASSWORD } });
    const link = await t.tokenFromMail(email, /Verify/);
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 5; i++) codes.push(await client.errorCode(VERIFY, { i: { token: link, password: `wrong-password-${i}` } }));
    expect(codes).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED']);
    // During the delay even the right password waits, on the link and at sign-in alike.
    expect(await client.errorCode(VERIFY, { i: { token: link, password: A_PASSWORD } })).toBe('RATE_LIMITED');
    expect(await client.errorCode(SIGN_IN, { i: { email, password: A_PASSWORD } })).toBe('RATE_LIMITED');
  });

  it('rate-limits sign-in attempts per email with RATE_LIMITED', async () => {
    const user = await aSignedInUser(t, 'limited');
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 5; i++)
      codes.push(await t.client().errorCode(SIGN_IN, { i: { email: user.email, password: `wrong-password-${i}` } }));
    expect(codes).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED']);
    const limited = await t.client().gql(SIGN_IN, { i: { email: user.email, password: user.password } });
    expect(limited.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    expect(limited.setCookie).toEqual([]);
  });

  it('resets a password by mail, signs out every session and refuses the token twice', async () => {
    const user = await aSignedInUser(t, 'reset');
    await t.client().ok(RESET_REQUEST, { i: { email: user.email } });
    const token = await t.tokenFromMail(user.email, /Reset/);
    expect(await t.client().errorCode(RESET, { i: { token, password: 'short' } })).toBe('BAD_USER_INPUT');
    await t.client().ok(RESET, { i: { token, password: 'brand-new-passphrase-7' } });
    expect(await user.client.errorCode(ME)).toBe('UNAUTHENTICATED');
    expect(await t.client().errorCode(RESET, { i: { token, password: 'yet-another-passphrase-8' } })).toBe('INVALID_TOKEN');
    expect(await t.client().errorCode(SIGN_IN, { i: { email: user.email, password: user.password } })).toBe('UNAUTHENTICATED');
    await t.client().ok(SIGN_IN, { i: { email: user.email, password: 'brand-new-passphrase-7' } });
  });

  it('treats a forged or missing cookie as signed out', async () => {
    const forged = t.client();
    forged.cookie = 'cutout_session=forged-value';
    expect(await forged.errorCode(ME)).toBe('UNAUTHENTICATED');
    expect(await t.client().errorCode(ME)).toBe('UNAUTHENTICATED');
    expect(await t.client().errorCode(`mutation { createTeam(input: { name: "x" }) { id } }`)).toBe('UNAUTHENTICATED');
  });
});
