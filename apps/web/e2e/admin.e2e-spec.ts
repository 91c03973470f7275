import { aVerifiedUser, seriousA11yViolations, screenshots, signInThroughUi, startE2e, type E2e } from './harness';

/**
 * The Admin console in a real Chromium: a platform admin opens a deletion request for someone who
 * wrote in, approves it, watches the API's worker complete it with its receipt, and finds the
 * DATA_REQUEST_* entries in the audit log; a user who is not an admin has no way in.
 */
describe('admin console', () => {
  let e2e: E2e;
  beforeAll(async () => {
    // No grace period: the approved deletion runs at once.
    e2e = await startE2e({ DELETION_GRACE_DAYS: '0' });
  }, 120_000);
  afterAll(() => e2e?.close());

  it('hides the Admin entry from a user who is not a platform admin, and /admin tells them it is for administrators', async () => {
    const user = await aVerifiedUser(e2e.t, 'plain');
    const visit = await e2e.open('/sign-in');
    const { page } = visit;
    await signInThroughUi(page, user);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Privacy' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    // The console is its own chunk, loaded only when /admin is opened.
    expect(visit.requests.filter((url) => /admin-page/.test(url))).toEqual([]);
    await page.goto('/admin');
    await page.getByText('This page is only for platform administrators.').waitFor();
    expect(visit.requests.filter((url) => /admin-page/.test(url))).not.toEqual([]);
    expect(await page.getByRole('heading', { name: 'Data requests' }).count()).toBe(0);
    expect(visit.offsite()).toEqual([]);
    expect(visit.pageErrors()).toEqual([]);
  });

  it('opens a deletion request, approves it, sees it COMPLETED with its receipt, and the audit log shows its entries; adjusts a team’s credits, places and releases a legal hold', async () => {
    const admin = await aVerifiedUser(e2e.t, 'admin');
    const subject = await aVerifiedUser(e2e.t, 'subject');
    const client = e2e.t.client();
    const { signIn } = await client.ok<{ signIn: { id: string } }>(`mutation($i: SignInInput!) { signIn(input: $i) { id } }`, {
      i: admin,
    });
    await e2e.t.sql('UPDATE users SET is_platform_admin = true WHERE id = $1', [signIn.id]);

    const visit = await e2e.open('/sign-in');
    const { page } = visit;
    await signInThroughUi(page, admin);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { name: 'Admin', level: 1 }).waitFor();

    await page.getByLabel('Their email').fill(subject.email);
    await page.getByLabel('Kind').selectOption('DELETION');
    await page.getByLabel('How they asked (optional)').fill('By mail to privacy@');
    await page.getByRole('button', { name: 'Open request' }).click();
    await page.getByText('The request is open and waits for review.').waitFor();

    const detail = page.getByRole('region', { name: /^Request / });
    await detail.getByText('PENDING', { exact: true }).waitFor();
    await detail.getByText('By mail to privacy@').waitFor();
    await detail.getByRole('button', { name: 'Approve' }).click();
    const receipt = detail.getByRole('table', { name: /^Receipt: executed / });
    await receipt.waitFor({ timeout: 45_000 });
    await detail.getByText('COMPLETED', { exact: true }).waitFor();
    // Once it ran, "queued for execution" is no longer true and no longer shown.
    expect(await detail.getByText('Approved: the request is queued for execution.').count()).toBe(0);
    const counted = await receipt.getByRole('row').count();
    expect(counted).toBeGreaterThan(1);
    // The list follows: the request shows COMPLETED there too.
    const list = page.getByRole('table', { name: 'Data requests, newest first' });
    await list.getByRole('row').nth(1).getByText('COMPLETED', { exact: true }).waitFor();

    // The audit log, refreshed, has the request's life.
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const audit = page.getByRole('table', { name: 'Audit log, newest first' });
    for (const action of ['DATA_REQUEST_CREATED', 'DATA_REQUEST_APPROVED', 'DATA_REQUEST_COMPLETED'])
      await audit.getByRole('cell', { name: action, exact: true }).first().waitFor();
    // The filters' select sits level with the inputs beside it and reads like them (not bold).
    const filters = page.getByRole('form', { name: 'Audit log filters' });
    const [actionBox, teamBox] = await Promise.all([
      filters.getByLabel('Action').boundingBox(),
      filters.getByLabel('Team id').boundingBox(),
    ]);
    expect(Math.abs((actionBox?.y ?? -1) - (teamBox?.y ?? 0))).toBeLessThanOrEqual(1);
    expect(await filters.getByLabel('Action').evaluate((el) => getComputedStyle(el).fontWeight)).toBe('400');
    await page.getByLabel('Action').selectOption('DATA_REQUEST_APPROVED');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await audit.getByRole('cell', { name: 'DATA_REQUEST_CREATED', exact: true }).waitFor({ state: 'detached' });
    // A new search starts over: its first page replaces the rows once it arrives.
    await audit.getByRole('cell', { name: 'DATA_REQUEST_APPROVED', exact: true }).first().waitFor();
    const actions = await audit.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(actions).toEqual(['DATA_REQUEST_APPROVED']);

    // Credits: the ledger is healthy; an adjustment of the admin's own team shows in the header's balance.
    const { teams } = await client.ok(`{ teams { edges { node { id } } } }`);
    const teamId = teams.edges[0].node.id as string;
    const credits = page.getByRole('region', { name: 'Credits' });
    await credits.getByText('Healthy: every team’s balance equals its ledger sum.').waitFor();
    const adjust = credits.getByRole('form', { name: 'Adjust a team’s credits' });
    await adjust.getByLabel('Team id').fill(teamId);
    await adjust.getByLabel('Credits to add (negative to take back)').fill('1.1');
    await adjust.getByLabel('Reason for the adjustment').fill('Goodwill after an outage');
    await adjust.getByRole('button', { name: 'Adjust credits' }).click();
    await adjust.getByText('A multiple of 0.25 credits.').waitFor();
    await adjust.getByLabel('Credits to add (negative to take back)').fill('2.5');
    await adjust.getByRole('button', { name: 'Adjust credits' }).click();
    const adjusted = adjust.getByText(/^Adjusted by 2\.5 credits: the team now has [\d.,]+ credits\.$/);
    await adjusted.waitFor();
    const available = /now has ([\d.,]+ credits)/.exec(await adjusted.innerText())?.[1] ?? '';
    await page.getByRole('banner').getByText(available, { exact: true }).waitFor();
    await credits.getByText('Healthy: every team’s balance equals its ledger sum.').waitFor();

    // An answer lost on its way back (the API applied the adjustment, the page says the server could not be reached):
    // the admin's retry is the same request (the same idempotencyKey), so it applies once; so does a double click.
    const adjustments = (reason: string) =>
      e2e.t.sql<{ amount: number; reference: string }>(
        `SELECT amount_quarters AS amount, reference FROM credit_ledger WHERE team_id = $1 AND kind = 'ADMIN_ADJUSTMENT' AND reason = $2`,
        [teamId, reason],
      );
    let loseNextAnswer = true;
    await page.route('**/graphql', async (route) => {
      if (!loseNextAnswer || !(route.request().postData() ?? '').includes('AdminAdjustCredits')) return route.fallback();
      loseNextAnswer = false;
      await route.fetch(); // the request reaches the API, which applies it …
      await route.abort('connectionreset'); // … and its answer never reaches the page
    });
    await adjust.getByLabel('Credits to add (negative to take back)').fill('1');
    await adjust.getByLabel('Reason for the adjustment').fill('Retried after a lost answer');
    await adjust.getByRole('button', { name: 'Adjust credits' }).click();
    await adjust.getByText('The server could not be reached. Check your connection and try again.').waitFor();
    expect(await adjustments('Retried after a lost answer')).toHaveLength(1);
    await adjust.getByRole('button', { name: 'Adjust credits' }).click();
    await adjust.getByText(/^Adjusted by 1 credit: the team now has [\d.,]+ credits\.$/).waitFor();
    expect(await adjustments('Retried after a lost answer')).toEqual([
      { amount: 4, reference: expect.stringMatching(`^admin:${teamId}:`) },
    ]);

    await adjust.getByLabel('Credits to add (negative to take back)').fill('0.25');
    await adjust.getByLabel('Reason for the adjustment').fill('Double-clicked');
    await adjust.getByRole('button', { name: 'Adjust credits' }).dblclick();
    const doubled = adjust.getByText(/^Adjusted by 0\.25 credits: the team now has [\d.,]+ credits\.$/);
    await doubled.waitFor();
    expect(await adjustments('Double-clicked')).toHaveLength(1);
    const after = /now has ([\d.,]+ credits)/.exec(await doubled.innerText())?.[1] ?? '';
    // The balance moved by 1 and 0.25, each applied once.
    const creditsIn = (text: string) => Number(text.replace(/[^\d.]/g, ''));
    expect(creditsIn(after)).toBe(creditsIn(available) + 1.25);
    await page.getByRole('banner').getByText(after, { exact: true }).waitFor();
    await credits.getByText('Healthy: every team’s balance equals its ledger sum.').waitFor();

    // A legal hold on that team is placed, listed, and released with a reason.
    const holds = page.getByRole('region', { name: 'Legal holds' });
    await holds.getByLabel('On').selectOption('TEAM');
    await holds.getByLabel('Team id').fill(teamId);
    await holds.getByLabel('Legal reference').fill('Case 42/2026');
    await holds.getByRole('button', { name: 'Place hold' }).click();
    await holds.getByText('The hold is placed: deletion and retention pause for its subject.').waitFor();
    await holds.getByRole('listitem').filter({ hasText: 'Case 42/2026' }).waitFor();

    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshots(page, 'admin');

    await holds.getByLabel('Reason to release hold Case 42/2026').fill('Case closed');
    await holds.getByRole('button', { name: 'Release' }).click();
    await holds.getByText('No active legal hold.').waitFor();
    await holds.getByLabel('Show released holds too').check();
    await holds.getByText(/released .+ \(Case closed\)$/).waitFor();
    expect(visit.offsite()).toEqual([]);
    expect(visit.pageErrors()).toEqual([]);
  }, 90_000);
  it('shows why an approved deletion waits while its subject is under a legal hold', async () => {
    const admin = await aVerifiedUser(e2e.t, 'holder');
    const subject = await aVerifiedUser(e2e.t, 'held');
    const adminId = (await e2e.t.client().ok(`mutation($i: SignInInput!) { signIn(input: $i) { id } }`, { i: admin })).signIn.id;
    const subjectId = (await e2e.t.client().ok(`mutation($i: SignInInput!) { signIn(input: $i) { id } }`, { i: subject })).signIn.id;
    await e2e.t.sql('UPDATE users SET is_platform_admin = true WHERE id = $1', [adminId]);

    const visit = await e2e.open('/sign-in');
    const { page } = visit;
    await signInThroughUi(page, admin);
    await page.goto('/admin');
    const holds = page.getByRole('region', { name: 'Legal holds' });
    await holds.getByLabel('User id').fill(subjectId);
    await holds.getByLabel('Legal reference').fill('Case 7/2026');
    await holds.getByRole('button', { name: 'Place hold' }).click();
    await holds.getByRole('listitem').filter({ hasText: 'Case 7/2026' }).waitFor();

    await page.getByLabel('Their email').fill(subject.email);
    await page.getByLabel('Kind').selectOption('DELETION');
    await page.getByRole('button', { name: 'Open request' }).click();
    const detail = page.getByRole('region', { name: /^Request / });
    await detail.getByRole('button', { name: 'Approve' }).click();
    await detail.getByText(/^Waiting: a legal hold \(reference Case 7\/2026\)/).waitFor({ timeout: 45_000 });
    expect(await detail.getByText('COMPLETED', { exact: true }).count()).toBe(0);
    expect(visit.offsite()).toEqual([]);
    expect(visit.pageErrors()).toEqual([]);
  }, 90_000);
});
