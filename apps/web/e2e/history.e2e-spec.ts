import { REMOVE, uploadImage, waitForJob } from '../../api/testing/jobs-client';
import type { TestClient } from '../../api/testing/graphql-client';
import {
  aPhoto,
  aVerifiedUser,
  seriousA11yViolations,
  screenshots,
  signedInToRemove,
  signInThroughUi,
  startE2e,
  type E2e,
} from './harness';

/** Runs one job through the API as the signed-in client and waits for its end. */
async function runJob(client: TestClient, teamId: string, filename: string): Promise<Record<string, any>> {
  const photo = await aPhoto();
  const upload = await uploadImage(client, teamId, photo.buffer, photo.mimeType, filename);
  const { removeBackground } = await client.ok(REMOVE, {
    i: { teamId, uploadId: upload.id, idempotencyKey: filename, options: { format: 'PNG' } },
  });
  return waitForJob(client, removeBackground.id);
}

/**
 * History in a real Chromium: a job run before the visit shows with its thumbnail, status, cost and
 * links; the status filter narrows the list; a job run during the visit appears live (teamJobs).
 */
describe('history', () => {
  let e2e: E2e;
  beforeAll(async () => {
    e2e = await startE2e();
  }, 120_000);
  afterAll(() => e2e?.close());

  it('shows the team’s jobs with thumbnails, filters them by status and adds a new job live', async () => {
    const user = await aVerifiedUser(e2e.t, 'historian');
    const client = e2e.t.client();
    await client.ok(`mutation($i: SignInInput!) { signIn(input: $i) { id } }`, { i: user });
    const { teams } = await client.ok(`{ teams { edges { node { id } } } }`);
    const teamId = teams.edges[0].node.id as string;
    const first = await runJob(client, teamId, 'first-photo.jpg');
    expect(first.status).toBe('SUCCEEDED');

    const visit = await e2e.open('/sign-in');
    const { page } = visit;
    await signInThroughUi(page, user);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'History' }).click();
    await page.getByRole('heading', { name: 'History', level: 1 }).waitFor();

    const item = page.getByRole('listitem', { name: 'first-photo.jpg' });
    await item.getByText('Succeeded', { exact: true }).waitFor();
    const thumbnail = item.getByRole('img', { name: 'first-photo.jpg: background removed' });
    await thumbnail.waitFor();
    const loaded = (img: Element | null) => img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0;
    await page.waitForFunction(loaded, await thumbnail.elementHandle());
    await item.getByText(/^(0\.25 credits|1 credit)$/).waitFor();
    await item.getByText(/^Result kept until /).waitFor();
    // What it ran with, in words: the job's own options.
    await item.getByText(/ · Cut-out, full size, PNG$/).waitFor();
    expect(await item.getByRole('link', { name: 'Result of first-photo.jpg' }).getAttribute('href')).toMatch(
      new RegExp(`^${e2e.origin}/downloads/`),
    );
    expect(await item.getByRole('link', { name: 'Original of first-photo.jpg' }).count()).toBe(1);

    const status = page.getByLabel('Status');
    await status.selectOption('FAILED');
    await page.getByText('No failed jobs.').waitFor();
    expect(await item.count()).toBe(0);
    await status.selectOption('SUCCEEDED');
    await item.waitFor();
    await status.selectOption('');
    await item.waitFor();
    await page.getByText('Loading…').waitFor({ state: 'hidden' });

    // A job run while the page is open appears without a reload, and reaches Succeeded with its thumbnail.
    const second = await runJob(client, teamId, 'second-photo.jpg');
    expect(second.status).toBe('SUCCEEDED');
    const live = page.getByRole('listitem', { name: 'second-photo.jpg' });
    await live.getByText('Succeeded', { exact: true }).waitFor();
    await live.getByRole('img', { name: 'second-photo.jpg: background removed' }).waitFor();
    expect(await page.getByRole('list', { name: 'Jobs' }).getByRole('listitem').count()).toBe(2);

    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshots(page, 'history');
    expect(visit.offsite()).toEqual([]);
    expect(visit.pageErrors()).toEqual([]);
  });
});

/**
 * Canceling, made deterministic: this API runs without a worker (ROLE=api), so every job stays
 * QUEUED until someone cancels it. A card on the Remove page and a row in History are canceled
 * through their buttons; both show the canceled state and the team gets its credits back.
 */
describe('cancel a job', () => {
  let e2e: E2e;
  beforeAll(async () => {
    e2e = await startE2e({ ROLE: 'api' });
  }, 120_000);
  afterAll(() => e2e?.close());

  it('cancels a queued job from its card and from its History row; the credits come back', async () => {
    const { user, visit, page, header, photo } = await signedInToRemove(e2e, 'canceler');
    await page.getByLabel('Choose images').setInputFiles({ ...photo, name: 'cancel-on-card.jpg' });
    const card = page.getByRole('listitem', { name: 'cancel-on-card.jpg' });
    await page.getByRole('button', { name: /^Remove background · / }).click();
    await card.getByText(/^Waiting in the queue · /).waitFor();
    await header.getByText(/^(9\.75|9) credits$/).waitFor();
    await card.getByRole('button', { name: 'Cancel cancel-on-card.jpg' }).click();
    await card.getByText(/^Canceled · /).waitFor();
    // A cancel asked for is news, not an error: a status note, no alert, and the bar not red.
    await card.getByRole('status').filter({ hasText: 'The job was canceled. Your credits were refunded.' }).waitFor();
    expect(await card.getByRole('alert').count()).toBe(0);
    expect(await card.getByRole('progressbar').getAttribute('class')).toBe('progress');
    expect(await card.getByRole('button', { name: /^Cancel/ }).count()).toBe(0);
    await card.getByRole('button', { name: 'Try again' }).waitFor();
    await header.getByText('10 credits').waitFor();

    // A job submitted elsewhere (here through the API) is canceled from History.
    const client = e2e.t.client();
    await client.ok(`mutation($i: SignInInput!) { signIn(input: $i) { id } }`, { i: user });
    const { teams } = await client.ok(`{ teams { edges { node { id } } } }`);
    const teamId = teams.edges[0].node.id as string;
    const upload = await uploadImage(client, teamId, photo.buffer, photo.mimeType, 'cancel-in-history.jpg');
    const { removeBackground } = await client.ok(REMOVE, {
      i: { teamId, uploadId: upload.id, idempotencyKey: 'cancel-in-history', options: { format: 'PNG' } },
    });
    expect(removeBackground.status).toBe('QUEUED');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'History' }).click();
    await page.getByRole('heading', { name: 'History', level: 1 }).waitFor();
    // Without a result, the status shows twice (in place of the thumbnail, and as the badge): the badge is the last.
    const first = page.getByRole('listitem', { name: 'cancel-on-card.jpg' });
    await first.getByText('Canceled', { exact: true }).last().waitFor();
    expect(await first.getByRole('button', { name: /^Cancel/ }).count()).toBe(0);
    const row = page.getByRole('listitem', { name: 'cancel-in-history.jpg' });
    await row.getByText('Queued', { exact: true }).last().waitFor();
    await header.getByText(/^(9\.75|9) credits$/).waitFor();
    await row.getByRole('button', { name: 'Cancel cancel-in-history.jpg' }).click();
    await row.getByText('Canceled', { exact: true }).last().waitFor();
    await row.getByText(/ refunded$/).waitFor();
    await row.getByText('The job was canceled. Your credits were refunded.').waitFor();
    expect(await row.getByText('The job was canceled. Your credits were refunded.').getAttribute('class')).toBe('alert info');
    expect(await row.getByRole('button', { name: /^Cancel/ }).count()).toBe(0);
    await header.getByText('10 credits').waitFor();

    const jobs = await e2e.t.sql<{ status: string; charged: number; refunded: number }>(
      `SELECT status, credits_charged_quarters AS charged, credits_refunded_quarters AS refunded FROM jobs ORDER BY created_at`,
    );
    expect(jobs.map((j) => [j.status, j.refunded === j.charged && j.charged > 0])).toEqual([
      ['CANCELED', true],
      ['CANCELED', true],
    ]);

    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshots(page, 'history-canceled');
    expect(visit.offsite()).toEqual([]);
    expect(visit.pageErrors()).toEqual([]);
  });
});
