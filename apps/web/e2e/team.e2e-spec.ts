import {
  aVerifiedUser,
  E2E_PASSWORD,
  linkFromMail,
  seriousA11yViolations,
  screenshots,
  signInThroughUi,
  startE2e,
  type E2e,
} from './harness';

/**
 * Team in a real Chromium: an owner invites a second person by email, who accepts through the
 * mailed link and then shows as a member; an API key is created (its secret shown once) and revoked.
 */
describe('team', () => {
  let e2e: E2e;
  beforeAll(async () => {
    e2e = await startE2e();
  }, 120_000);
  afterAll(() => e2e?.close());

  it('creates a team, invites by email, the invitee accepts through the mailed link and appears as a member; an API key is created once and revoked; the last owner cannot delete their account', async () => {
    const owner = await aVerifiedUser(e2e.t, 'owner');
    const invitee = await aVerifiedUser(e2e.t, 'invitee');
    const visit = await e2e.open('/sign-in');
    const { page } = visit;
    page.on('dialog', (dialog) => void dialog.accept());
    await signInThroughUi(page, owner);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).click();
    await page.getByRole('heading', { name: 'Team', level: 1 }).waitFor();
    await page.getByText('Your role: Owner.').waitFor();

    // A new team (a personal team's members go with it when its owner leaves Cutout): it becomes the selected one.
    await page.getByLabel('Team name').fill('Studio');
    await page.getByRole('button', { name: 'Create team' }).click();
    await page.getByRole('heading', { name: 'Studio', level: 2 }).waitFor();
    expect(await page.getByRole('combobox', { name: 'Team' }).inputValue()).not.toBe('');

    await page.getByLabel('Email to invite').fill(invitee.email);
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByText(`We mailed an invitation to ${invitee.email}.`).waitFor();
    await page.getByText(`${invitee.email} as member`).waitFor();

    // An API key: the secret is shown once, the list shows only its prefix; then it is revoked.
    await page.getByLabel('Key name').fill('CI pipeline');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = (await page.getByLabel('New API key secret').textContent()) ?? '';
    expect(secret).toMatch(/^ck_\S{20,}$/);
    await page.getByText('it will not be shown again').waitFor();
    const keyRow = page.getByRole('row', { name: /CI pipeline/ });
    const prefix = ((await keyRow.locator('code').textContent()) ?? '').replace(/…$/, '');
    expect(prefix.length).toBeGreaterThan(3);
    expect(secret.startsWith(prefix)).toBe(true);
    expect(await keyRow.textContent()).not.toContain(secret);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshots(page, 'team');
    await page.getByRole('button', { name: 'I stored it' }).click();
    expect(await page.getByText(secret).count()).toBe(0);
    await keyRow.getByRole('button', { name: 'Revoke CI pipeline' }).click();
    await page.getByText('No active keys.').waitFor();

    // The invitee follows the mailed link, signed in as the invited address.
    const link = await linkFromMail(e2e.t, invitee.email, /invited/i);
    expect(new URL(link).origin).toBe(e2e.origin);
    expect(new URL(link).pathname).toBe('/invitations/accept');
    const second = await e2e.open('/sign-in');
    await signInThroughUi(second.page, invitee);
    await second.page.goto(link);
    await second.page.getByRole('button', { name: 'Accept invitation' }).click();
    await second.page.getByRole('heading', { name: /^You joined / }).waitFor();
    await second.page.getByRole('link', { name: 'See the team' }).click();
    await second.page.getByText('Your role: Member.').waitFor();
    // A member sees why managing is not for them instead of buttons that fail.
    await second.page.getByText('Only owners and admins can do this. Ask an owner or admin of this team for a key.').waitFor();
    expect(await second.page.getByRole('button', { name: 'Create key' }).count()).toBe(0);

    await page.reload();
    // The selection is not stored: after a reload the personal team is selected again.
    await page.getByRole('combobox', { name: 'Team' }).selectOption({ label: 'Studio' });
    const role = page.getByRole('combobox', { name: `Role of ${invitee.email}` });
    await role.waitFor();
    expect(await role.inputValue()).toBe('MEMBER');
    expect(await page.getByText('No pending invitations.').count()).toBe(1);

    // Now the owner is the last owner of a team with another member: deleting the account is refused, naming the team.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Privacy' }).click();
    await page.getByLabel('Your password, to confirm').fill(owner.password);
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await page.getByRole('alert').filter({ hasText: 'You are the last owner of a team with other members: Studio.' }).waitFor();

    for (const v of [visit, second]) {
      expect(v.offsite()).toEqual([]);
      expect(v.pageErrors()).toEqual([]);
    }
  });
  it('signed out, the invitation link leads through sign-in (or sign-up, verification and sign-in) back to the invitation, which is then accepted', async () => {
    const owner = await aVerifiedUser(e2e.t, 'agency-owner');
    const member = await aVerifiedUser(e2e.t, 'returning');
    const newcomer = `newcomer.${Date.now().toString(36)}@example.test`;
    const client = e2e.t.client();
    await client.ok(`mutation($i: SignInInput!) { signIn(input: $i) { id } }`, { i: owner });
    const { createTeam } = await client.ok<{ createTeam: { id: string } }>(
      `mutation($i: CreateTeamInput!) { createTeam(input: $i) { id } }`,
      { i: { name: 'Agency' } },
    );
    for (const email of [member.email, newcomer])
      await client.ok(`mutation($i: InviteMemberInput!) { inviteMember(input: $i) { id } }`, {
        i: { teamId: createTeam.id, email, role: 'MEMBER' },
      });

    // An existing account: the link, signed out → Sign in → back on the invitation → accepted.
    const link = await linkFromMail(e2e.t, member.email, /invited/i);
    const invitation = new URL(link).pathname + new URL(link).search;
    const visit = await e2e.open(invitation);
    const { page } = visit;
    await page.getByRole('region', { name: 'Cookies on Cutout' }).getByRole('button', { name: 'Reject all' }).click();
    await page.getByRole('heading', { name: 'Join a team' }).waitFor();
    await page.getByRole('link', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).searchParams.get('next')).toBe(invitation);
    await page.getByLabel('Email').fill(member.email);
    await page.getByLabel('Password').fill(member.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(invitation);
    await page.getByRole('heading', { name: 'You joined Agency' }).waitFor();
    expect(await page.getByRole('combobox', { name: 'Team' }).locator('option:checked').textContent()).toBe('Agency');

    // No account yet: Create an account → check your mail → verify in another tab, which signs in → the invitation.
    const newLink = await linkFromMail(e2e.t, newcomer, /invited/i);
    const newInvitation = new URL(newLink).pathname + new URL(newLink).search;
    const second = await e2e.open(newInvitation);
    await second.page.getByRole('region', { name: 'Cookies on Cutout' }).getByRole('button', { name: 'Reject all' }).click();
    await second.page.getByRole('link', { name: 'Create an account' }).click();
    await second.page.getByRole('heading', { name: 'Create your account' }).waitFor();
    await second.page.getByLabel('Email').fill(newcomer);
    await second.page.getByLabel('Password').fill(E2E_PASSWORD);
    await second.page.getByRole('checkbox', { name: /accept the privacy policy/ }).check();
    await second.page.getByRole('button', { name: 'Create account' }).click();
    await second.page.getByRole('heading', { name: 'Check your mail' }).waitFor();
    await second.page.getByText('come back to this tab and sign in').waitFor();
    const verifyTab = await second.context.newPage();
    await verifyTab.goto(await linkFromMail(e2e.t, newcomer, /verif/i));
    await verifyTab.getByLabel('Password').fill(E2E_PASSWORD);
    await verifyTab.getByRole('button', { name: 'Verify and sign in' }).click();
    // The mailed link carried the invitation too: verifying signs in and leads back to it.
    await verifyTab.getByRole('button', { name: 'Accept invitation' }).click();
    expect(new URL(verifyTab.url()).pathname + new URL(verifyTab.url()).search).toBe(newInvitation);
    await verifyTab.getByRole('heading', { name: 'You joined Agency' }).waitFor();
    await verifyTab.close();

    // A hostile next is ignored: signing in from /sign-in?next=//elsewhere stays on this origin.
    const third = await e2e.open(`/sign-in?next=${encodeURIComponent('//evil.example/phish')}`);
    await signInThroughUi(third.page, owner);
    expect(new URL(third.page.url()).origin).toBe(e2e.origin);
    expect(new URL(third.page.url()).pathname).toBe('/');

    for (const v of [visit, second, third]) {
      expect(v.offsite()).toEqual([]);
      expect(v.pageErrors()).toEqual([]);
    }
  });
});
