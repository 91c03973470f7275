import http from 'node:http';
import { A_PASSWORD, aSignedInUser, anEmail } from '../../testing/builders';
import { wsRequest, type GraphqlResponse } from '../../testing/graphql-client';
import { startTestApi, type TestApi } from '../../testing/test-api';

const SIGN_UP = `mutation($i: SignUpInput!) { signUp(input: $i) { id } }`;
const SIGN_IN = `mutation($i: SignInInput!) { signIn(input: $i) { id } }`;
const RESEND = `mutation($i: ResendVerificationInput!) { resendVerification(input: $i) }`;
const RESET_REQUEST = `mutation($i: RequestPasswordResetInput!) { requestPasswordReset(input: $i) }`;
const CREATE_TEAM = `mutation($i: CreateTeamInput!) { createTeam(input: $i) { id } }`;
const INVITE = `mutation($i: InviteMemberInput!) { inviteMember(input: $i) { id } }`;

/** Where a request comes from: the socket's own local address (127.0.0.0/8 is all loopback) and proxy headers. */
interface From {
  localAddress?: string;
  forwardedFor?: string;
}

/** One GraphQL request over a socket bound to `from.localAddress`, so the server sees that peer address. */
function gqlFrom<T = Record<string, any>>(
  t: TestApi,
  from: From,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphqlResponse<T>> {
  const body = JSON.stringify({ query, variables });
  const headers: Record<string, string> = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
  if (from.forwardedFor) headers['x-forwarded-for'] = from.forwardedFor;
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: t.api.port, path: '/graphql', method: 'POST', localAddress: from.localAddress, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Omit<GraphqlResponse<T>, 'status' | 'setCookie'>;
          const setCookie = res.headers['set-cookie'] ?? [];
          resolve({ ...parsed, status: res.statusCode ?? 0, setCookie });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const codeOf = (res: GraphqlResponse) => res.errors?.[0]?.extensions?.code;
const retryAfterOf = (res: GraphqlResponse) => res.errors?.[0]?.extensions?.retryAfterSeconds as number | undefined;
const mailsTo = async (t: TestApi, email: string) => (await t.mailbox()).filter((m) => m.to === email);

/** An attacker fails `times` sign-ins for `email`; returns each answer's code and retryAfterSeconds. */
async function failSignIns(t: TestApi, from: From, email: string, times: number) {
  const answers: { code?: string; retryAfter?: number }[] = [];
  for (let i = 0; i < times; i++) {
    const res = await gqlFrom(t, from, SIGN_IN, { i: { email, password: `wrong-guess-${i}-long` } });
    answers.push({ code: codeOf(res), retryAfter: retryAfterOf(res) });
  }
  return answers;
}

/** Growing: never shorter than the one before, and longer at the end than at the start. */
function expectGrowing(delays: number[]): void {
  expect(delays.length).toBeGreaterThan(3);
  for (const [i, d] of delays.entries()) if (i) expect(d).toBeGreaterThanOrEqual(delays[i - 1]);
  expect(delays.at(-1)).toBeGreaterThan(delays[0]);
}

const FREE_FAILURES = 5;
/** Sign-in needs argon2 work per attempt, which is slow on a busy machine. */
const MANY_SIGN_INS_MS = 120_000;

describe('rate limits (client address from the socket: TRUST_PROXY off)', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({
      SIGN_IN_FAILURES_BEFORE_DELAY: String(FREE_FAILURES),
      MAIL_RATE_LIMIT_PER_RECIPIENT: '3',
      INVITE_RATE_LIMIT_PER_TEAM: '4',
    });
  });
  afterAll(() => t?.close());

  it(
    'an attacker failing 20 sign-ins from one address never locks the owner out elsewhere, and waits longer and longer',
    async () => {
      const owner = await aSignedInUser(t, 'victim');
      const answers = await failSignIns(t, { localAddress: '127.0.0.2' }, owner.email, 20);
      expect(answers.slice(0, FREE_FAILURES).map((a) => a.code)).toEqual(Array(FREE_FAILURES).fill('UNAUTHENTICATED'));
      const delayed = answers.slice(FREE_FAILURES);
      expect(delayed.map((a) => a.code)).toEqual(Array(20 - FREE_FAILURES).fill('RATE_LIMITED'));
      expectGrowing(delayed.map((a) => a.retryAfter as number));
      // Even the right password waits, from the attacker's address …
      expect(codeOf(await gqlFrom(t, { localAddress: '127.0.0.2' }, SIGN_IN, { i: { email: owner.email, password: A_PASSWORD } }))).toBe(
        'RATE_LIMITED',
      );
      // … but the owner, from their own address, signs in at once.
      const ownerSignIn = await gqlFrom(t, { localAddress: '127.0.0.3' }, SIGN_IN, { i: { email: owner.email, password: A_PASSWORD } });
      expect(ownerSignIn.errors).toBeUndefined();
      expect(ownerSignIn.setCookie[0]).toMatch(/^cutout_session=/);
    },
    MANY_SIGN_INS_MS,
  );

  it(
    'judges at most SIGN_IN_FAILURES_BEFORE_DELAY of 20 parallel guesses from one address; the rest wait',
    async () => {
      const owner = await aSignedInUser(t, 'burst');
      const from = { localAddress: '127.0.0.20' };
      const burst = await Promise.all(
        Array.from({ length: 20 }, (_, i) => gqlFrom(t, from, SIGN_IN, { i: { email: owner.email, password: `wrong-guess-${i}-long` } })),
      );
      const count = (code: string) => burst.filter((res) => codeOf(res) === code).length;
      // Sequentially the (FREE_FAILURES + 1)th attempt waits; in parallel too.
      expect({ judged: count('UNAUTHENTICATED'), waiting: count('RATE_LIMITED') }).toEqual({
        judged: FREE_FAILURES,
        waiting: 20 - FREE_FAILURES,
      });
      // The burst counted: the right password from that address waits too …
      expect(codeOf(await gqlFrom(t, from, SIGN_IN, { i: { email: owner.email, password: A_PASSWORD } }))).toBe('RATE_LIMITED');
      // … while the owner, from their own address, signs in at once.
      const ownerSignIn = await gqlFrom(t, { localAddress: '127.0.0.21' }, SIGN_IN, { i: { email: owner.email, password: A_PASSWORD } });
      expect(ownerSignIn.errors).toBeUndefined();
    },
    MANY_SIGN_INS_MS,
  );

  it(
    'counts a sign-in before its password is checked and clears the count once one succeeds',
    async () => {
      const owner = await aSignedInUser(t, 'forgetful');
      const from = { localAddress: '127.0.0.22' };
      const failures = await failSignIns(t, from, owner.email, FREE_FAILURES - 1);
      expect(failures.map((a) => a.code)).toEqual(Array(FREE_FAILURES - 1).fill('UNAUTHENTICATED'));
      expect((await gqlFrom(t, from, SIGN_IN, { i: { email: owner.email, password: A_PASSWORD } })).errors).toBeUndefined();
      // A success starts the count afresh: FREE_FAILURES more failures are judged again.
      expect((await failSignIns(t, from, owner.email, FREE_FAILURES + 1)).map((a) => a.code)).toEqual([
        ...Array(FREE_FAILURES).fill('UNAUTHENTICATED'),
        'RATE_LIMITED',
      ]);
    },
    MANY_SIGN_INS_MS,
  );

  it('caps the mails to one address across sign-up, resend and reset, from any client (MAIL_RATE_LIMIT_PER_RECIPIENT)', async () => {
    const email = anEmail('inbox');
    await gqlFrom(t, { localAddress: '127.0.0.9' }, SIGN_UP, { i: { email, password: A_PASSWORD } });
    await gqlFrom(t, { localAddress: '127.0.0.10' }, RESEND, { i: { email } });
    await gqlFrom(t, { localAddress: '127.0.0.11' }, RESET_REQUEST, { i: { email } });
    expect(await mailsTo(t, email)).toHaveLength(3);
    for (const [mutation, input] of [
      [SIGN_UP, { email, password: A_PASSWORD }],
      [RESEND, { email }],
      [RESET_REQUEST, { email }],
    ] as const) {
      const res = await gqlFrom(t, { localAddress: '127.0.0.12' }, mutation, { i: input });
      expect(codeOf(res)).toBe('RATE_LIMITED');
      expect(retryAfterOf(res)).toBeGreaterThan(0);
    }
    expect(await mailsTo(t, email)).toHaveLength(3);
  });

  it('caps invitations to one address across requests and teams: RATE_LIMITED, no extra mail', async () => {
    const owner = await aSignedInUser(t, 'bomber');
    const target = anEmail('target');
    const teams = [];
    for (const name of ['One', 'Two']) teams.push((await owner.client.ok(CREATE_TEAM, { i: { name } })).createTeam.id as string);
    for (let i = 0; i < 3; i++) await owner.client.ok(INVITE, { i: { teamId: teams[0], email: target, role: 'MEMBER' } });
    const refused = await owner.client.gql(INVITE, { i: { teamId: teams[1], email: target, role: 'MEMBER' } });
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    expect(retryAfterOf(refused)).toBeGreaterThan(0);
    expect(await t.sql('SELECT id FROM invitations WHERE team_id = $1', [teams[1]])).toEqual([]);
    expect(await mailsTo(t, target)).toHaveLength(3);
  });

  it('caps the invitations one team sends (INVITE_RATE_LIMIT_PER_TEAM)', async () => {
    const owner = await aSignedInUser(t, 'recruiter');
    const { createTeam } = await owner.client.ok(CREATE_TEAM, { i: { name: 'Hiring' } });
    for (let i = 0; i < 4; i++) await owner.client.ok(INVITE, { i: { teamId: createTeam.id, email: anEmail(`hire${i}`), role: 'MEMBER' } });
    const last = anEmail('hire-last');
    expect(await owner.client.errorCode(INVITE, { i: { teamId: createTeam.id, email: last, role: 'MEMBER' } })).toBe('RATE_LIMITED');
    expect(await mailsTo(t, last)).toEqual([]);
  });

  it('refuses 25 aliased inviteMember in one request with QUERY_TOO_COMPLEX, over HTTP and WebSocket, and mails nothing', async () => {
    const owner = await aSignedInUser(t, 'aliaser');
    const { createTeam } = await owner.client.ok(CREATE_TEAM, { i: { name: 'Aliases' } });
    const target = anEmail('aliased');
    const fields = Array.from(
      { length: 25 },
      (_, i) => `a${i}: inviteMember(input: { teamId: $teamId, email: $email, role: MEMBER }) { id }`,
    );
    const bomb = `mutation($teamId: ID!, $email: String!) { ${fields.join(' ')} }`;
    const overHttp = await owner.client.gql(bomb, { teamId: createTeam.id, email: target });
    expect(overHttp.data ?? null).toBeNull();
    expect(overHttp.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', rootFields: 25, maxRootFields: 10 });
    const ws = owner.client.ws();
    try {
      const overWs = await wsRequest(ws, bomb, { teamId: createTeam.id, email: target });
      expect(overWs.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', maxRootFields: 10 });
    } finally {
      await ws.dispose();
    }
    // Fragments do not hide root fields.
    const spread = `mutation($teamId: ID!, $email: String!) { ...Bomb } fragment Bomb on Mutation { ${fields.slice(0, 11).join(' ')} }`;
    expect(await owner.client.errorCode(spread, { teamId: createTeam.id, email: target })).toBe('QUERY_TOO_COMPLEX');
    expect(await t.sql('SELECT id FROM invitations WHERE team_id = $1', [createTeam.id])).toEqual([]);
    expect(await mailsTo(t, target)).toEqual([]);
    // Ten root fields are still one request.
    const ten = Array.from({ length: 10 }, (_, i) => `t${i}: createTeam(input: { name: "Batch ${i}" }) { id }`);
    expect(Object.keys(await owner.client.ok(`mutation { ${ten.join(' ')} }`))).toHaveLength(10);
  });

  it('writes the invitation subject itself and shows the team name as escaped, unlinkable data', async () => {
    const owner = await aSignedInUser(t, 'phisher');
    const name = '<b>Prize</b> evil.example http://x';
    const { createTeam } = await owner.client.ok(CREATE_TEAM, { i: { name } });
    const target = anEmail('phished');
    await owner.client.ok(INVITE, { i: { teamId: createTeam.id, email: target, role: 'MEMBER' } });
    const [mail] = await mailsTo(t, target);
    expect(mail.subject).toBe('You are invited to join a team on Cutout');
    expect(mail.html).not.toContain('<b>');
    expect(mail.html).toContain('&#60;b&#62;Prize');
    for (const part of [mail.html, mail.text]) {
      expect(part).not.toContain('evil.example');
      expect(part).not.toContain('http://x');
    }
    expect(mail.html.match(/<a /g)).toHaveLength(1);
  });
});

describe('rate limits per client address (RATE_LIMIT_PER_CLIENT)', () => {
  const PER_CLIENT = 3;
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({ RATE_LIMIT_PER_CLIENT: String(PER_CLIENT) });
  });
  afterAll(() => t?.close());

  it.each([
    ['sign-in', '127.0.0.4', SIGN_IN, () => ({ email: anEmail('guess'), password: 'some-long-guess-1' })],
    ['sign-up', '127.0.0.5', SIGN_UP, () => ({ email: anEmail('flood'), password: A_PASSWORD })],
    ['password reset', '127.0.0.6', RESET_REQUEST, () => ({ email: anEmail('flood') })],
    ['resend verification', '127.0.0.7', RESEND, () => ({ email: anEmail('flood') })],
  ])('caps %s requests per client address, whatever X-Forwarded-For says', async (_label, address, mutation, input) => {
    for (let i = 0; i < PER_CLIENT; i++) {
      const res = await gqlFrom(t, { localAddress: address, forwardedFor: `198.51.100.${i}` }, mutation, { i: input() });
      expect(codeOf(res)).not.toBe('RATE_LIMITED');
    }
    const refused = await gqlFrom(t, { localAddress: address, forwardedFor: '198.51.100.250' }, mutation, { i: input() });
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    expect(retryAfterOf(refused)).toBeGreaterThan(0);
    // Another client is not affected.
    expect(codeOf(await gqlFrom(t, { localAddress: '127.0.0.8' }, mutation, { i: input() }))).not.toBe('RATE_LIMITED');
  });
});

describe('rate limits behind a proxy (TRUST_PROXY on)', () => {
  const PER_CLIENT = 25;
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({
      TRUST_PROXY: 'true',
      SIGN_IN_FAILURES_BEFORE_DELAY: String(FREE_FAILURES),
      RATE_LIMIT_PER_CLIENT: String(PER_CLIENT),
    });
  });
  afterAll(() => t?.close());

  it(
    'tells clients apart by X-Forwarded-For: the attacker is delayed, the owner signs in',
    async () => {
      const owner = await aSignedInUser(t, 'proxied');
      const answers = await failSignIns(t, { forwardedFor: '198.51.100.7' }, owner.email, 12);
      expectGrowing(answers.filter((a) => a.code === 'RATE_LIMITED').map((a) => a.retryAfter as number));
      const ownerSignIn = await gqlFrom(t, { forwardedFor: '203.0.113.5' }, SIGN_IN, { i: { email: owner.email, password: A_PASSWORD } });
      expect(ownerSignIn.errors).toBeUndefined();
    },
    MANY_SIGN_INS_MS,
  );

  it(
    'counts every address of one IPv6 /64 as one client for the sign-in delay; another /64 is another client',
    async () => {
      const owner = await aSignedInUser(t, 'v6-owner');
      const guess = (forwardedFor: string, i: number) =>
        gqlFrom(t, { forwardedFor }, SIGN_IN, { i: { email: owner.email, password: `wrong-guess-${i}-long` } });
      for (let i = 0; i < FREE_FAILURES; i++) expect(codeOf(await guess(`2001:db8:1:2::${i + 1}`, i))).toBe('UNAUTHENTICATED');
      // Any other address of that /64, however written, waits as well …
      for (const other of ['2001:db8:1:2::99', '2001:0db8:0001:0002:ffff:ffff:ffff:fffe', '2001:DB8:1:2:a:b:c:d']) {
        expect(codeOf(await guess(other, 99))).toBe('RATE_LIMITED');
      }
      // … while the owner, in the next /64, signs in at once.
      const ownerSignIn = await gqlFrom(t, { forwardedFor: '2001:db8:1:3::1' }, SIGN_IN, {
        i: { email: owner.email, password: A_PASSWORD },
      });
      expect(ownerSignIn.errors).toBeUndefined();
    },
    MANY_SIGN_INS_MS,
  );

  it('counts every address of one IPv6 /64 against one RATE_LIMIT_PER_CLIENT; IPv4-mapped is the IPv4 address', async () => {
    const reset = (forwardedFor: string) => gqlFrom(t, { forwardedFor }, RESET_REQUEST, { i: { email: anEmail('v6-flood') } });
    for (let i = 0; i < PER_CLIENT; i++) expect(codeOf(await reset(`2001:db8:7:8::${(i + 1).toString(16)}`))).toBeUndefined();
    expect(codeOf(await reset('2001:db8:7:8:abcd:1234:5678:9abc'))).toBe('RATE_LIMITED');
    expect(codeOf(await reset('2001:db8:7:9::1'))).toBeUndefined();
    for (let i = 0; i < PER_CLIENT; i++) expect(codeOf(await reset(i % 2 ? '203.0.113.90' : '::ffff:203.0.113.90'))).toBeUndefined();
    expect(codeOf(await reset('::ffff:cb00:715a'))).toBe('RATE_LIMITED');
  });

  it('trusts only the address the proxy appended: spoofed entries before it do not open new buckets', async () => {
    const forwardedFor = (i: number) => `10.${i}.0.1, 203.0.113.77`;
    for (let i = 0; i < PER_CLIENT; i++) {
      expect(
        codeOf(await gqlFrom(t, { forwardedFor: forwardedFor(i) }, RESET_REQUEST, { i: { email: anEmail('spoof') } })),
      ).toBeUndefined();
    }
    const refused = await gqlFrom(t, { forwardedFor: forwardedFor(99) }, RESET_REQUEST, { i: { email: anEmail('spoof') } });
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    expect(codeOf(await gqlFrom(t, { forwardedFor: '203.0.113.78' }, RESET_REQUEST, { i: { email: anEmail('spoof') } }))).toBeUndefined();
  });
});
