import { aVerifiedUser, linkFromMail, seriousA11yViolations, screenshots, signInThroughUi, startE2e, type E2e } from './harness';

/**
 * Privacy in a real Chromium: a consent changed in the settings shows in the history, and a data
 * export is requested and becomes downloadable (the API's worker builds the archive); an account
 * deletion is scheduled with its grace period and canceled.
 */
describe('privacy', () => {
  let e2e: E2e;
  beforeAll(async () => {
    // A grace period, so that the account deletion can be canceled from the page.
    e2e = await startE2e({ DELETION_GRACE_DAYS: '7' });
  }, 120_000);
  afterAll(() => e2e?.close());

  it('records a consent from the settings into the history, makes a data export downloadable, schedules and cancels the account deletion', async () => {
    const user = await aVerifiedUser(e2e.t, 'private');
    const visit = await e2e.open('/sign-in');
    const { page } = visit;
    await signInThroughUi(page, user);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Privacy' }).click();
    await page.getByRole('heading', { name: 'Privacy', level: 1 }).waitFor();

    // The owner of their personal team edits its retention within the API's bounds.
    await page.getByLabel('Originals (uploads), in hours').waitFor();
    await page.getByLabel('Originals (uploads), in hours').fill('0');
    await page.getByRole('button', { name: 'Save retention' }).click();
    await page.getByText(/^Between \d+ and \d+ hours\.$/).waitFor();

    // The banner's "Reject all" is the first entry; the settings add Functionality.
    const history = page.getByRole('table', { name: 'Consent history, newest first' });
    await history.getByRole('cell', { name: 'Banner' }).waitFor();
    await page.getByRole('checkbox', { name: /Functionality/ }).check();
    await page.getByRole('button', { name: 'Save cookie choice' }).click();
    await page.getByText('Your cookie choice is saved.').waitFor();
    const newest = history.getByRole('row').nth(1);
    expect(await newest.getByRole('cell').allTextContents()).toEqual([
      expect.any(String),
      'Strictly necessary, Functionality',
      'Settings',
      expect.any(String),
    ]);
    expect(await history.getByRole('row').count()).toBe(3);

    await page.getByRole('button', { name: 'Request my data' }).click();
    const download = page.getByRole('link', { name: /^Download the archive/ });
    await download.waitFor({ timeout: 45_000 });
    const href = (await download.getAttribute('href')) ?? '';
    expect(new URL(href, e2e.origin).origin).toBe(e2e.origin);
    const archive = await page.request.get(href);
    expect(archive.status()).toBe(200);
    expect((await archive.body()).subarray(0, 2).toString('latin1')).toBe('PK');
    // The mail that says so leads to this page (it once pointed to a path the dashboard has no page for).
    const mailed = await linkFromMail(e2e.t, user.email, /export is ready/);
    expect(new URL(mailed).pathname).toBe('/privacy');
    await page.goto(new URL(mailed).pathname);
    await page.getByRole('heading', { name: 'Privacy', level: 1 }).waitFor();
    await download.waitFor();

    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshots(page, 'privacy');

    page.on('dialog', (dialog) => void dialog.accept());
    await page.getByLabel('Your password, to confirm').fill('not the password');
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await page.getByRole('alert').filter({ hasText: 'The password is not correct.' }).waitFor();
    await page.getByLabel('Your password, to confirm').fill(user.password);
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await page.getByText(/^Your account will be deleted after .+\. You can cancel until then\.$/).waitFor();
    await page.getByRole('button', { name: 'Cancel the deletion' }).click();
    await page.getByText('The deletion is canceled: your account stays.').waitFor();
    await page.getByRole('button', { name: 'Delete my account' }).waitFor();
    expect(visit.offsite()).toEqual([]);
    expect(visit.pageErrors()).toEqual([]);
  }, 90_000);
});
