import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  SCREENSHOT_DIR,
  aVerifiedUser,
  linkFromMail,
  seriousA11yViolations,
  screenshots,
  signInThroughUi,
  startE2e,
  VIEWPORTS,
  type E2e,
} from './harness';

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
    // The link asks for the account's password: a wrong one confirms nothing and says so.
    await page.getByRole('heading', { name: 'Verify your email' }).waitFor();
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.getByText('That is not the password this account was created with.').waitFor();
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.getByRole('heading', { name: 'Remove backgrounds' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    // The link followed again (another device, say): it is used up, and the page points to signing in.
    const again = await e2e.open(new URL(link).pathname + new URL(link).search);
    await again.page.getByRole('region', { name: 'Cookies on Cutout' }).getByRole('button', { name: 'Reject all' }).click();
    await again.page.getByLabel('Password').fill(password);
    await again.page.getByRole('button', { name: 'Verify and sign in' }).click();
    await again.page.getByText('Verified already?').waitFor();
    expect(await again.page.getByRole('link', { name: 'Sign in' }).getAttribute('href')).toBe('/sign-in');
    expect(again.pageErrors()).toEqual([]);
    // On a wide screen the pages form a row of links; the phone's Menu button is not shown.
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('button', { name: /^Menu/ }).isVisible()).toBe(false);
    expect(await nav.getByRole('link', { name: 'History' }).isVisible()).toBe(true);
    expect((await visit.cookies()).map((c) => c.name).sort()).toEqual(['cutout_session', 'cutout_visitor']);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshots(page, 'remove-backgrounds');
    expect(visit.offsite()).toEqual([]);
    expect(visit.pageErrors()).toEqual([]);
  });
  it('on a phone (390×844) the navigation is a Menu button: opened with the keyboard, it lists every page, closes on Escape and after choosing one; no page is wider than the screen', async () => {
    const person = await aVerifiedUser(e2e.t, 'phone');
    // A platform admin, so that the Admin page is among those checked too.
    const { signIn } = await e2e.t
      .client()
      .ok<{ signIn: { id: string } }>(`mutation($i: SignInInput!) { signIn(input: $i) { id } }`, { i: person });
    await e2e.t.sql('UPDATE users SET is_platform_admin = true WHERE id = $1', [signIn.id]);
    const visit = await e2e.open('/sign-in', { viewport: 'phone' });
    const { page } = visit;
    await signInThroughUi(page, person);
    await page.getByRole('heading', { name: 'Remove backgrounds', level: 1 }).waitFor();
    const pageWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
    expect(await pageWidth()).toBeLessThanOrEqual(VIEWPORTS.phone.width);

    const nav = page.getByRole('navigation', { name: 'Main' });
    const toggle = nav.getByRole('button', { name: /^Menu/ });
    // Closed, the links take no room; the team switcher and the account menu stay in the header.
    expect(await nav.getByRole('link').count()).toBe(0);
    await page.getByRole('combobox', { name: 'Team' }).waitFor();
    await page.getByRole('button', { name: /Account menu for/ }).waitFor();

    // Escape closes it and leaves the focus on the button.
    await toggle.focus();
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await nav.getByRole('link').count()).toBe(6);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Escape');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await toggle.evaluate((el) => el === document.activeElement)).toBe(true);

    const pages = ['Remove backgrounds', 'History', 'Credits & billing', 'Team', 'Privacy', 'Admin'];
    for (const [index, label] of pages.entries()) {
      await toggle.focus();
      await page.keyboard.press('Enter');
      const list = page.locator(`#${await toggle.getAttribute('aria-controls')}`);
      await list.waitFor();
      expect(await list.isVisible()).toBe(true);
      // The links follow the button in the tab order, as they do on screen.
      for (let i = 0; i <= index; i++) await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(label);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: label, level: 1 }).waitFor();
      await page.waitForLoadState('networkidle');
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      expect(await nav.getByRole('link').count()).toBe(0);
      expect(await toggle.textContent()).toBe(`Menu: ${label}`);
      expect(await pageWidth()).toBeLessThanOrEqual(VIEWPORTS.phone.width);
    }
    // The open menu, checked on the home page (its screenshot kept with the others).
    await toggle.click();
    await nav.getByRole('link', { name: 'Remove backgrounds' }).click();
    await page.getByRole('heading', { name: 'Remove backgrounds', level: 1 }).waitFor();
    await toggle.click();
    expect(await nav.getByRole('link').count()).toBe(6);
    expect(await seriousA11yViolations(page)).toEqual([]);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'phone-menu-open.png'), animations: 'disabled' });
    expect(visit.offsite()).toEqual([]);
    expect(visit.pageErrors()).toEqual([]);
  });
});
