import { A_PASSWORD } from '../testing/builders';
import { TestClient } from '../testing/graphql-client';

/** A verified, signed-in user of the API at `base`, through the real sign-up, mailbox and sign-in (benches only). */
export async function aBenchUser(base: string, prefix: string): Promise<{ client: TestClient; email: string }> {
  const client = new TestClient(base);
  const email = `${prefix}-${Date.now()}@example.com`;
  await client.ok(`mutation($i: SignUpInput!) { signUp(input: $i) { id } }`, { i: { email, password: A_PASSWORD } });
  await new Promise((r) => setTimeout(r, 300));
  const mails = (await (await fetch(`${base}/dev/mailbox`)).json()) as { text: string }[];
  await client.ok(`mutation($i: VerifyEmailInput!) { verifyEmail(input: $i) { id } }`, {
    i: { token: decodeURIComponent(/token=(\S+)/.exec(mails[0].text)![1]), password: A_PASSWORD },
  });
  await client.ok(`mutation($i: SignInInput!) { signIn(input: $i) { id } }`, { i: { email, password: A_PASSWORD } });
  return { client, email };
}
