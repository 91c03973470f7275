import { randomUUID } from 'node:crypto';
import { REMOVE, uploadImage, waitForJob } from '../../api/testing/jobs-client';
import { aPhoto, aVerifiedUser, seriousA11yViolations, screenshots, signInThroughUi, startE2e, type E2e } from './harness';

/**
 * Credits & billing in a real Chromium, without Stripe (as in CI): the balance after a job, the
 * ledger's trial grant and charge (newest first), the usage chart, and — before any click — the notice
 * that buying is not set up, with the packs shown and no Buy button, for owners and members alike.
 */
describe('credits & billing', () => {
  let e2e: E2e;
  beforeAll(async () => {
    e2e = await startE2e();
  }, 120_000);
  afterAll(() => e2e?.close());

  it('shows the balance, the ledger after a job (newest first), the usage chart, and the billing-not-set-up notice instead of Buy buttons', async () => {
    const user = await aVerifiedUser(e2e.t, 'payer');
    const client = e2e.t.client();
    await client.ok(`mutation($i: SignInInput!) { signIn(input: $i) { id } }`, { i: user });
    const { teams } = await client.ok(`{ teams { edges { node { id } } } }`);
    const teamId = teams.edges[0].node.id as string;
    const photo = await aPhoto();
    const upload = await uploadImage(client, teamId, photo.buffer, photo.mimeType, photo.name);
    const { removeBackground } = await client.ok(REMOVE, {
      i: { teamId, uploadId: upload.id, idempotencyKey: randomUUID(), options: { format: 'PNG' } },
    });
    const job = await waitForJob(client, removeBackground.id);
    expect(job.status).toBe('SUCCEEDED');
    const charged = job.creditsCharged as number;

    // The same person is a MEMBER of another team: MEMBERs may not buy, and the page says so instead of offering a button.
    const owner = await aVerifiedUser(e2e.t, 'owner');
    const ownerClient = e2e.t.client();
    await ownerClient.ok(`mutation($i: SignInInput!) { signIn(input: $i) { id } }`, { i: owner });
    const { createTeam } = await ownerClient.ok(`mutation($i: CreateTeamInput!) { createTeam(input: $i) { id } }`, {
      i: { name: 'Studio team' },
    });
    await ownerClient.ok(`mutation($i: InviteMemberInput!) { inviteMember(input: $i) { id } }`, {
      i: { teamId: createTeam.id, email: user.email, role: 'MEMBER' },
    });
    await client.ok(`mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { id } }`, {
      i: { token: await e2e.t.tokenFromMail(user.email) },
    });
    const left = charged === 1 ? '9 credits' : '9.75 credits';

    const visit = await e2e.open('/sign-in');
    const { page } = visit;
    await signInThroughUi(page, user);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Credits & billing' }).click();
    await page.getByRole('heading', { name: 'Credits & billing', level: 1 }).waitFor();

    const balance = page.getByRole('region', { name: /^Balance of / });
    await balance.getByText(left, { exact: true }).waitFor();
    await balance.getByText('0 credits', { exact: true }).waitFor();

    const ledger = page.getByRole('table', { name: 'Ledger' });
    await ledger.getByRole('row', { name: /Free trial credits.*\+10/ }).waitFor();
    await ledger.getByRole('row', { name: new RegExp(`Job charged.*−${charged}.*${job.id}`) }).waitFor();
    // Newest first: the charge above the trial grant it spent from.
    const kinds = await ledger.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(kinds.map((k) => k.split(' — ')[0])).toEqual(['Job charged', 'Free trial credits']);

    await page.getByRole('img', { name: /^Jobs per day: 1 job from / }).waitFor();
    await page.getByRole('img', { name: new RegExp(`^Credits spent per day: ${charged} credits? from `) }).waitFor();
    await page.getByRole('cell', { name: 'Up to 0.25 megapixels (preview)' }).waitFor();
    // The prices say what high quality costs, per size (the API's multiplier, 2).
    const prices = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Cost per image' }) });
    expect(await prices.getByRole('row').allInnerTexts()).toEqual([
      'Result size\tCost per image\tHigh quality (2×)',
      'Up to 0.25 megapixels (preview)\t0.25 credits\t0.5 credits',
      'Larger\t1 credit\t2 credits',
    ]);
    await page.getByText('No purchases yet.').waitFor();

    // This server has no Stripe keys (billingConfigured is false): the owner of the personal team, who could buy, sees the
    // packs and the notice from the start, and no Buy button.
    const buy = page.getByRole('region', { name: 'Buy credits' });
    const notice = /^Buying credits is not set up on this server: no payment provider is configured\. Ask the operator/;
    await buy.getByText(notice).waitFor();
    for (const pack of ['Starter', 'Pro', 'Studio']) await buy.getByText(pack, { exact: true }).waitFor();
    expect(await buy.getByRole('button').count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Buy / }).count()).toBe(0);
    expect(await page.getByRole('alert').count()).toBe(0);

    // A MEMBER of another team: the same notice, the packs, no button.
    const team = page.getByRole('banner').getByLabel('Team');
    await team.selectOption({ label: 'Studio team' });
    await page.getByRole('heading', { name: 'Balance of Studio team' }).waitFor();
    await buy.getByText(notice).waitFor();
    await buy.getByText('Starter', { exact: true }).waitFor();
    expect(await buy.getByRole('button').count()).toBe(0);
    await team.selectOption({ label: 'Personal' });
    await page.getByRole('heading', { name: 'Balance of Personal' }).waitFor();
    await buy.getByText(notice).waitFor();

    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshots(page, 'credits');
    expect(visit.offsite()).toEqual([]);
    expect(visit.pageErrors()).toEqual([]);
  });
});
