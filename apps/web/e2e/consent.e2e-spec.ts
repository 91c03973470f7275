import type { Page } from 'playwright-core';
import { aVerifiedUser, seriousA11yViolations, screenshots, signInThroughUi, startE2e, type E2e } from './harness';

/**
 * A first visit in a real Chromium: the cookie banner, "Reject all", and what the browser holds
 * before and after; the dashboard served for page paths the API does not own; nothing requested
 * from anywhere but our own origin.
 */
describe('first visit and cookie consent', () => {
  let e2e: E2e;
  beforeAll(async () => {
    e2e = await startE2e();
  }, 120_000);
  afterAll(() => e2e?.close());

  it('shows the banner; before a choice the browser holds no cookie or storage; Reject all keeps only the strictly necessary one', async () => {
    const visit = await e2e.open('/');
    const banner = visit.page.getByRole('region', { name: 'Cookies on Cutout' });
    await banner.waitFor();
    await visit.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await visit.cookies()).toEqual([]);
    expect(await visit.storage()).toEqual({ local: [], session: [] });
    expect(await seriousA11yViolations(visit.page)).toEqual([]);
    await screenshots(visit.page, 'sign-in-with-consent-banner');

    await banner.getByRole('button', { name: 'Reject all' }).click();
    await banner.waitFor({ state: 'detached' });
    const cookies = await visit.cookies();
    expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite])).toEqual([['cutout_visitor', true, 'Lax']]);
    // The one choice recorded on this fresh database, for the visitor the cookie names.
    expect(await e2e.t.sql('SELECT categories, source FROM consent_records')).toEqual([
      { categories: ['STRICTLY_NECESSARY'], source: 'BANNER' },
    ]);

    // The choice holds: no banner after a reload, and still nothing but the visitor cookie.
    await visit.page.reload();
    await visit.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await visit.page.getByRole('region', { name: 'Cookies on Cutout' }).count()).toBe(0);
    expect((await visit.cookies()).map((c) => c.name)).toEqual(['cutout_visitor']);
    expect(await visit.storage()).toEqual({ local: [], session: [] });
    expect(visit.offsite()).toEqual([]);
    expect(visit.pageErrors()).toEqual([]);
  });

  it('serves the dashboard for page paths such as /developers and /privacy, and leaves /dev/mailbox to the API', async () => {
    for (const pathname of ['/developers', '/privacy']) {
      const visit = await e2e.open(pathname);
      const main = visit.page.getByRole('main');
      await main.waitFor();
      expect(await visit.page.title()).toBe('Cutout');
      expect(visit.offsite()).toEqual([]);
      expect(visit.pageErrors()).toEqual([]);
    }
    const mailbox = await fetch(`${e2e.origin}/dev/mailbox`, { headers: { accept: 'text/html,application/json' } });
    expect(mailbox.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('has no serious accessibility violation on the sign-up page, at desktop and phone width', async () => {
    for (const viewport of ['desktop', 'phone'] as const) {
      const visit = await e2e.open('/sign-up', { viewport });
      await visit.page.getByRole('heading', { name: 'Create your account' }).waitFor();
      expect(await seriousA11yViolations(visit.page)).toEqual([]);
      if (viewport === 'desktop') await screenshots(visit.page, 'sign-up');
      expect(visit.offsite()).toEqual([]);
      expect(visit.pageErrors()).toEqual([]);
    }
  });
  it('shows the published cookie and privacy policies with their title and version; no serious accessibility violation or overflow at desktop and phone width', async () => {
    const client = e2e.t.client();
    for (const [kind, pathname] of [
      ['COOKIES', '/policies/cookies'],
      ['PRIVACY', '/policies/privacy'],
    ] as const) {
      const { policy } = await client.ok(`query($kind: PolicyKind!) { policy(kind: $kind) { title version } }`, { kind });
      expect(policy.title).toEqual(expect.any(String));
      expect(policy.version).toEqual(expect.any(String));
      for (const viewport of ['desktop', 'phone'] as const) {
        const visit = await e2e.open(pathname, { viewport });
        const { page } = visit;
        await page.getByRole('heading', { name: policy.title, level: 1 }).waitFor();
        // The version is named once: the published text begins with it, and the page does not repeat it.
        const article = page.locator('article');
        await article.getByText(new RegExp(`^Version ${policy.version}\\b`)).waitFor();
        expect(await article.evaluate((el, v) => el.textContent?.split(`Version ${v}`).length, policy.version)).toBe(2);
        // The banner shows on a first visit (it links here): the page is checked with it, as a visitor sees it.
        await page.getByRole('region', { name: 'Cookies on Cutout' }).waitFor();
        expect(await seriousA11yViolations(page)).toEqual([]);
        if (viewport === 'desktop') await screenshots(page, `policy-${kind.toLowerCase()}`);
        expect(visit.offsite()).toEqual([]);
        expect(visit.pageErrors()).toEqual([]);
      }
    }
  });

  it('keeps the selected team across reloads only with Functionality consent, and drops it when that is withdrawn and at sign-out', async () => {
    const person = await aVerifiedUser(e2e.t, 'switcher');
    const client = e2e.t.client();
    await client.ok(`mutation($i: SignInInput!) { signIn(input: $i) { id } }`, { i: person });
    await client.ok(`mutation($i: CreateTeamInput!) { createTeam(input: $i) { id } }`, { i: { name: 'Workshop' } });
    const selectedTeam = (page: Page) => page.getByRole('combobox', { name: 'Team' }).locator('option:checked').textContent();

    // Rejected: the switch lasts until the reload, and nothing is stored.
    const rejected = await e2e.open('/sign-in');
    await signInThroughUi(rejected.page, person);
    const personal = await selectedTeam(rejected.page);
    expect(personal).not.toBe('Workshop');
    await rejected.page.getByRole('combobox', { name: 'Team' }).selectOption({ label: 'Workshop' });
    expect(await rejected.storage()).toEqual({ local: [], session: [] });
    await rejected.page.reload();
    await rejected.page.getByRole('navigation', { name: 'Main' }).waitFor();
    expect(await selectedTeam(rejected.page)).toBe(personal);
    expect(await rejected.storage()).toEqual({ local: [], session: [] });

    // Functionality accepted: the switch survives a reload.
    const accepted = await e2e.open('/sign-in');
    const { page } = accepted;
    const banner = page.getByRole('region', { name: 'Cookies on Cutout' });
    await banner.getByRole('button', { name: 'Choose categories' }).click();
    await banner.getByRole('checkbox', { name: /Functionality/ }).check();
    await banner.getByRole('button', { name: 'Save my choice' }).click();
    await banner.waitFor({ state: 'detached' });
    expect(await accepted.storage()).toEqual({ local: [], session: [] });
    await page.getByLabel('Email').fill(person.email);
    await page.getByLabel('Password').fill(person.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.getByRole('combobox', { name: 'Team' }).selectOption({ label: 'Workshop' });
    expect((await accepted.storage()).local).toEqual(['cutout.selectedTeam']);
    await page.reload();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    expect(await selectedTeam(page)).toBe('Workshop');

    // Withdrawn in the privacy settings: the key goes at once, and the next reload shows the personal team.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Privacy' }).click();
    await page.getByRole('checkbox', { name: /Functionality/ }).uncheck();
    await page.getByRole('button', { name: 'Save cookie choice' }).click();
    await page.getByText('Your cookie choice is saved.').waitFor();
    expect(await accepted.storage()).toEqual({ local: [], session: [] });
    await page.reload();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    expect(await selectedTeam(page)).toBe(personal);

    // Given again, the current selection is stored; signing out removes it.
    await page.getByRole('combobox', { name: 'Team' }).selectOption({ label: 'Workshop' });
    await page.getByRole('checkbox', { name: /Functionality/ }).check();
    await page.getByRole('button', { name: 'Save cookie choice' }).click();
    await page.getByText('Your cookie choice is saved.').waitFor();
    expect((await accepted.storage()).local).toEqual(['cutout.selectedTeam']);
    await page.getByRole('button', { name: /Account menu for/ }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await accepted.storage()).toEqual({ local: [], session: [] });

    for (const v of [rejected, accepted]) {
      expect(v.offsite()).toEqual([]);
      expect(v.pageErrors()).toEqual([]);
    }
  });
});
