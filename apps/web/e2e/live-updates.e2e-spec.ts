import type { Page } from 'playwright-core';
import { aVerifiedUser, signedInToRemove, startE2e, type E2e } from './harness';

/**
 * Live updates against an API that allows only two subscriptions per socket
 * (WS_MAX_SUBSCRIPTIONS_PER_SOCKET=2; the header balance holds one of them): a card shows its
 * job's true state whatever happens to its live stream, and the header balance stays live after
 * session.refresh() closed the socket.
 */
describe('live updates', () => {
  let e2e: E2e;
  beforeAll(async () => {
    e2e = await startE2e({ WS_MAX_SUBSCRIPTIONS_PER_SOCKET: '2' });
  }, 120_000);
  afterAll(() => e2e?.close());

  /** An API client signed in as `user`, and their personal team's id. */
  async function apiAs(user: { email: string; password: string }) {
    const client = e2e.t.client();
    await client.ok(`mutation($i: SignInInput!) { signIn(input: $i) { id } }`, { i: user });
    const { teams } = await client.ok(`{ teams(first: 10) { edges { node { id personal } } } }`);
    const teamId = (teams.edges as { node: { id: string; personal: boolean } }[]).find((e) => e.node.personal)?.node.id ?? '';
    return { client, teamId };
  }

  /** Waits until the card's line under its bar reads a final state, and returns it. */
  async function finalLine(page: Page, index: number): Promise<string> {
    const line = page
      .getByRole('list', { name: 'Images' })
      .getByRole('listitem')
      .nth(index)
      .getByText(/^(Done|Failed|Canceled) · \d+%$/);
    await line.waitFor({ timeout: 30_000 });
    return (await line.textContent()) ?? '';
  }

  it('a batch larger than the socket allows: every card ends Done, none offers Try again, and each photo is charged once', async () => {
    const { visit, page, header, photo, user } = await signedInToRemove(e2e, 'batch');
    await page.getByLabel('Size').selectOption('PREVIEW');
    const files = [1, 2, 3, 4].map((n) => ({ ...photo, name: `batch-${n}.jpg` }));
    await page.getByLabel('Choose images').setInputFiles(files);
    await page.getByRole('button', { name: /^Remove 4 backgrounds · 1 credit/ }).click();

    const lines = [];
    for (let i = 0; i < files.length; i++) lines.push(await finalLine(page, i));
    expect(lines).toEqual(files.map(() => 'Done · 100%'));
    expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(0);
    expect(await page.getByRole('alert').count()).toBe(0);

    // Four jobs, all SUCCEEDED, each charged once (0.25 credit at Preview size) and never refunded; four charges in the ledger.
    const { client, teamId } = await apiAs(user);
    const { jobs, creditLedger } = await client.ok(
      `query($t: ID!) {
        jobs(teamId: $t, first: 20) { edges { node { status creditsCharged creditsRefunded } } }
        creditLedger(teamId: $t, first: 20) { edges { node { kind amount } } }
      }`,
      { t: teamId },
    );
    expect(jobs.edges.map((e: { node: unknown }) => e.node)).toEqual(
      files.map(() => ({ status: 'SUCCEEDED', creditsCharged: 0.25, creditsRefunded: 0 })),
    );
    const entries = creditLedger.edges.map((e: { node: { kind: string; amount: number } }) => e.node);
    expect(entries.filter((n: { kind: string }) => n.kind !== 'TRIAL_GRANT')).toEqual(
      files.map(() => ({ kind: 'JOB_CHARGE', amount: -0.25 })),
    );
    await header.getByText('9 credits').waitFor();
    expect(visit.pageErrors()).toEqual([]);
  });

  it('the header balance stays live after session.refresh() (a role changed on the Team page)', async () => {
    const { visit, page, header, photo, user } = await signedInToRemove(e2e, 'owner');
    // A second person joins the owner's personal team (through the API).
    const invitee = await aVerifiedUser(e2e.t, 'invitee');
    const { client: owner, teamId } = await apiAs(user);
    await owner.ok(`mutation($i: InviteMemberInput!) { inviteMember(input: $i) { id } }`, {
      i: { teamId, email: invitee.email, role: 'MEMBER' },
    });
    const second = e2e.t.client();
    await second.ok(`mutation($i: SignInInput!) { signIn(input: $i) { id } }`, { i: invitee });
    await second.ok(`mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { id } }`, {
      i: { token: await e2e.t.tokenFromMail(invitee.email, /invited/i) },
    });

    // On /team (no reload: the app's socket is kept) the invitee becomes Admin: the session refreshes.
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Team' }).click();
    await page.getByLabel(`Role of ${invitee.email}`).selectOption('ADMIN');
    // Choosing a role sends nothing: Apply does.
    await page.getByRole('button', { name: `Apply role of ${invitee.email}` }).click();
    await page.getByText(`${invitee.email} is now admin.`).waitFor();

    // Back on Remove backgrounds, one photo at Preview size: the header shows the charge.
    await nav.getByRole('link', { name: 'Remove backgrounds' }).click();
    await page.getByLabel('Size').selectOption('PREVIEW');
    await page.getByLabel('Choose images').setInputFiles(photo);
    await page.getByRole('button', { name: /^Remove background · 0\.25 credit/ }).click();
    expect(await finalLine(page, 0)).toBe('Done · 100%');
    await header.getByText('9.75 credits').waitFor({ timeout: 10_000 });
    expect(visit.pageErrors()).toEqual([]);
  });
});
