import { A_PASSWORD, aSignedInUser, aTeamWithMembers, anEmail } from '../../testing/builders';
import { startTestApi, type TestApi } from '../../testing/test-api';

const SIGN_UP = `mutation($i: SignUpInput!) { signUp(input: $i) { id } }`;
const VERIFY = `mutation($i: VerifyEmailInput!) { verifyEmail(input: $i) { id } }`;
const SIGN_IN = `mutation($i: SignInInput!) { signIn(input: $i) { id } }`;
const BALANCE = `query($t: ID!) { creditBalance(teamId: $t) { available debt } }`;
const PERSONAL = `{ teams { edges { node { id personal } } } }`;

describe('trial credits', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({ ROLE: 'api', TRIAL_CREDITS: '10' });
  });
  afterAll(() => t?.close());

  /** Signs `email` up and verifies it from the mailbox; returns the signed-in client, the user id and the personal team. */
  const signUpAndVerify = async (email: string) => {
    const client = t.client();
    const { signUp } = await client.ok(SIGN_UP, { i: { email, password: A_PASSWORD } });
    await client.ok(VERIFY, { i: { token: await t.tokenFromMail(email.toLowerCase(), /Verify/), password: A_PASSWORD } });
    await client.ok(SIGN_IN, { i: { email, password: A_PASSWORD } });
    const { teams } = await client.ok(PERSONAL);
    const personalTeamId = teams.edges.find((e: { node: { personal: boolean } }) => e.node.personal).node.id as string;
    return { client, userId: signUp.id as string, personalTeamId };
  };

  it('gives the personal team TRIAL_CREDITS when the email is verified, ledgered as TRIAL_GRANT under a keyed hash', async () => {
    const email = anEmail('trial');
    const { client, userId, personalTeamId } = await signUpAndVerify(email);
    expect((await client.ok(BALANCE, { t: personalTeamId })).creditBalance).toEqual({ available: 10, debt: 0 });
    const ledger = await t.sql<{ kind: string; amount_quarters: number; reference: string; actor_user_id: string }>(
      'SELECT kind, amount_quarters, reference, actor_user_id FROM credit_ledger WHERE team_id = $1',
      [personalTeamId],
    );
    expect(ledger).toEqual([
      { kind: 'TRIAL_GRANT', amount_quarters: 40, reference: expect.stringMatching(/^[0-9a-f]{64}$/), actor_user_id: userId },
    ]);
    // Not the address, and not the users table's email index either (the kept hash joins with nothing).
    const [user] = await t.sql<{ email_index: string }>('SELECT email_index FROM users WHERE id = $1', [userId]);
    expect(ledger[0].reference).not.toBe(user.email_index);
    expect(JSON.stringify(await t.sql('SELECT * FROM trial_credit_grants'))).not.toContain(email.split('@')[0]);
  });

  it('gives nothing to teams created later: createTeam in a loop mints no credits', async () => {
    const user = await aSignedInUser(t, 'looper');
    const teams = await Promise.all([1, 2, 3].map((i) => aTeamWithMembers(t, user, [], `Loop ${i}`)));
    for (const teamId of teams) expect((await user.client.ok(BALANCE, { t: teamId })).creditBalance).toEqual({ available: 0, debt: 0 });
    expect((await user.client.ok(BALANCE, { t: user.personalTeamId })).creditBalance).toEqual({ available: 10, debt: 0 });
  });

  it('gives nothing again when the same address signs up after its account was deleted (in any letter case)', async () => {
    const email = anEmail('again');
    const first = await signUpAndVerify(email);
    await t.sql('DELETE FROM users WHERE id = $1', [first.userId]);
    const second = await signUpAndVerify(email.toUpperCase());
    expect(second.userId).not.toBe(first.userId);
    expect((await second.client.ok(BALANCE, { t: second.personalTeamId })).creditBalance).toEqual({ available: 0, debt: 0 });
    expect(await t.sql('SELECT count(*)::int AS n FROM credit_ledger WHERE team_id = $1', [second.personalTeamId])).toEqual([{ n: 0 }]);
  });

  it('grants once when the address is proven by a password reset instead, and not again by a later verification', async () => {
    const email = anEmail('reset');
    const client = t.client();
    const { signUp } = await client.ok(SIGN_UP, { i: { email, password: A_PASSWORD } });
    const verifyToken = await t.tokenFromMail(email, /Verify/);
    await client.ok(`mutation($i: RequestPasswordResetInput!) { requestPasswordReset(input: $i) }`, { i: { email } });
    const resetToken = await t.tokenFromMail(email, /Reset/);
    await client.ok(`mutation($i: ResetPasswordInput!) { resetPassword(input: $i) { id } }`, {
      i: { token: resetToken, password: 'another-violet-anchor-77' },
    });
    await client.gql(VERIFY, { i: { token: verifyToken, password: A_PASSWORD } });
    const rows = await t.sql(
      `SELECT l.amount_quarters FROM credit_ledger l JOIN memberships m ON m.team_id = l.team_id WHERE m.user_id = $1`,
      [signUp.id],
    );
    expect(rows).toEqual([{ amount_quarters: 40 }]);
  });
});
