import { linkFromMail, seriousA11yViolations, screenshots, startE2e, type E2e } from './harness';

/** A new person in a real Chromium: sign up, verify through the link in the dev mailbox, sign in. */
describe('sign up, verify, sign in', () => {
  let e2e: E2e;
  beforeAll(async () => {
    e2e = await startE2e();
  }, 120_000);
  afterAll(() => e2e?.close());

  it('creates an account, verifies it from the mailed link and signs in to the dashboard', async () => {
    const email = 'ada@example.test';
    const password = 'a long enough passphrase';
    const visit = await e2e.open('/sign-up');
    const { page } = visit;
    await page.getByRole('region', { name: 'Cookies on Cutout' }).getByRole('button', { name: 'Reject all' }).click();

    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('checkbox', { name: /accept the privacy policy/ }).check();
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Check your mail' }).waitFor();
    await page.getByText(email).waitFor();

    // Signing in before verifying is refused with a sentence, not a code.
    await page.getByRole('link', { name: 'Go to sign in' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Send the verification link again' }).waitFor();

    const link = await linkFromMail(e2e.t, email, /verif/i);
    expect(new URL(link).origin).toBe(e2e.origin);
    await page.goto(link);
    await page.getByText('Your email address is verified.').waitFor();
    await page.getByRole('link', { name: 'Sign in' }).click();

    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Remove backgrounds' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    expect((await visit.cookies()).map((c) => c.name).sort()).toEqual(['cutout_session', 'cutout_visitor']);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshots(page, 'remove-backgrounds');
    expect(visit.offsite()).toEqual([]);
    expect(visit.pageErrors()).toEqual([]);
  });
});
