import { aSignedInUser, aTeamWithMembers, anApiKey, type SignedInUser } from '../../testing/builders';
import { wsRequest } from '../../testing/graphql-client';
import { startTestApi, type TestApi } from '../../testing/test-api';

const CREATE = `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret apiKey { id prefix name teamId } } }`;
const LIST = `query($teamId: ID!) { apiKeys(teamId: $teamId) { edges { node { id prefix name lastUsedAt } } } }`;
const REVOKE = `mutation($i: RevokeApiKeyInput!) { revokeApiKey(input: $i) { id revokedAt } }`;

describe('API keys', () => {
  let t: TestApi;
  let owner: SignedInUser;
  let member: SignedInUser;
  let teamId: string;

  beforeAll(async () => {
    t = await startTestApi();
    [owner, member] = await Promise.all([aSignedInUser(t, 'keyowner'), aSignedInUser(t, 'keymember')]);
    teamId = await aTeamWithMembers(t, owner, [{ user: member, role: 'MEMBER' }]);
  });
  afterAll(() => t?.close());

  it('shows the secret once, stores only its hash, and lists keys by prefix', async () => {
    const { createApiKey } = await owner.client.ok(CREATE, { i: { teamId, name: 'CI pipeline' } });
    expect(createApiKey.secret).toMatch(/^ck_[\w-]{43}$/);
    expect(createApiKey.apiKey).toMatchObject({ name: 'CI pipeline', teamId, prefix: createApiKey.secret.slice(0, 11) });
    const rows = await t.sql('SELECT * FROM api_keys WHERE id = $1', [createApiKey.apiKey.id]);
    expect(JSON.stringify(rows)).not.toContain(createApiKey.secret.slice(3));
    const { apiKeys } = await owner.client.ok(LIST, { teamId });
    expect(JSON.stringify(apiKeys)).not.toContain(createApiKey.secret);
    expect(apiKeys.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(createApiKey.apiKey.id);
  });

  it('acts for its team over HTTP: me is the key’s creator, team is readable', async () => {
    const key = t.client().withApiKey(await anApiKey(owner, teamId));
    expect((await key.ok(`{ me { id email } }`)).me).toEqual({ id: owner.id, email: owner.email });
    expect((await key.ok(`query($id: ID!) { team(id: $id) { id viewerRole } }`, { id: teamId })).team).toEqual({
      id: teamId,
      viewerRole: null,
    });
    const { teams } = await key.ok(`{ teams { edges { node { id } } } }`);
    expect(teams.edges).toEqual([{ node: { id: teamId } }]);
  });

  it('cannot manage members, keys or teams, or touch another team', async () => {
    const key = t.client().withApiKey(await anApiKey(owner, teamId));
    expect(await key.errorCode(CREATE, { i: { teamId, name: 'escalate' } })).toBe('FORBIDDEN');
    expect(await key.errorCode(LIST, { teamId })).toBe('FORBIDDEN');
    expect(await key.errorCode(`mutation { createTeam(input: { name: "by key" }) { id } }`)).toBe('FORBIDDEN');
    expect(await key.errorCode(`query($id: ID!) { team(id: $id) { id } }`, { id: owner.personalTeamId })).toBe('NOT_FOUND');
  });

  it('is refused by members and after revocation', async () => {
    expect(await member.client.errorCode(CREATE, { i: { teamId, name: 'mine' } })).toBe('FORBIDDEN');
    expect(await owner.client.errorCode(CREATE, { i: { teamId, name: '' } })).toBe('BAD_USER_INPUT');
    const secret = await anApiKey(owner, teamId);
    const { createApiKey } = await owner.client.ok(CREATE, { i: { teamId, name: 'to revoke' } });
    const key = t.client().withApiKey(createApiKey.secret);
    await key.ok(`{ me { id } }`);
    expect(await member.client.errorCode(REVOKE, { i: { id: createApiKey.apiKey.id } })).toBe('FORBIDDEN');
    expect((await owner.client.ok(REVOKE, { i: { id: createApiKey.apiKey.id } })).revokeApiKey.revokedAt).toEqual(expect.any(String));
    expect(await key.errorCode(`{ me { id } }`)).toBe('UNAUTHENTICATED');
    expect(await t.client().withApiKey('ck_forged').errorCode(`{ me { id } }`)).toBe('UNAUTHENTICATED');
    await t.client().withApiKey(secret).ok(`{ me { id } }`);
  });

  it('authenticates graphql-ws connections with connection_init or the session cookie', async () => {
    const secret = await anApiKey(owner, teamId);
    const byKey = t.client().ws({ authorization: `Bearer ${secret}` });
    try {
      expect(await wsRequest(byKey, `{ me { id } teams { edges { node { id } } } }`)).toEqual({
        data: { me: { id: owner.id }, teams: { edges: [{ node: { id: teamId } }] } },
      });
      const otherTeam = await wsRequest(byKey, `query($id: ID!) { team(id: $id) { id } }`, { id: owner.personalTeamId });
      expect(otherTeam.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    } finally {
      await byKey.dispose();
    }

    const byCookie = member.client.ws();
    try {
      expect((await wsRequest(byCookie, `{ me { id } }`)).data).toEqual({ me: { id: member.id } });
    } finally {
      await byCookie.dispose();
    }

    const anonymous = t.client().ws();
    try {
      expect((await wsRequest(anonymous, `{ me { id } }`)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    } finally {
      await anonymous.dispose();
    }
  });

  it('closes a graphql-ws connection whose key is invalid', async () => {
    const forged = t.client().ws({ authorization: 'Bearer ck_forged-secret' });
    try {
      await expect(wsRequest(forged, `{ me { id } }`)).rejects.toMatchObject({ code: 4403 });
    } finally {
      await forged.dispose();
    }
  });
});
