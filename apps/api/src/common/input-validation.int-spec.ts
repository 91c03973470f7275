import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { aSignedInUser, aTeamWithMembers, anApiKey, anEmail, type SignedInUser } from '../../testing/builders';
import { storedFileNames } from '../../testing/file-names';
import { startTestApi, type TestApi } from '../../testing/test-api';
import { ApiKeyEntity } from '../api-keys/entities/api-key.entity';
import { formatGraphqlError } from '../graphql/format-error';

const CREATE_KEY = `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }`;
const REVOKE_KEY = `mutation($i: RevokeApiKeyInput!) { revokeApiKey(input: $i) { id } }`;
const KEYS_AFTER = `query($teamId: ID!, $after: String) { apiKeys(teamId: $teamId, after: $after) { edges { node { id } } } }`;
const TEAMS_AFTER = `query($after: String) { teams(after: $after) { edges { node { id } } } }`;
const CREATE_TEAM = `mutation($i: CreateTeamInput!) { createTeam(input: $i) { id name } }`;
const RENAME_TEAM = `mutation($i: RenameTeamInput!) { renameTeam(input: $i) { id name } }`;
const INVITE = `mutation($i: InviteMemberInput!) { inviteMember(input: $i) { id } }`;
const REVOKE_INVITATION = `mutation($i: RevokeInvitationInput!) { revokeInvitation(input: $i) { id } }`;

const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('input validation and what errors reveal', () => {
  let t: TestApi;
  let owner: SignedInUser;
  let outsider: SignedInUser;
  let teamId: string;

  beforeAll(async () => {
    t = await startTestApi({}, { logLevel: 'info' });
    [owner, outsider] = await Promise.all([aSignedInUser(t, 'validowner'), aSignedInUser(t, 'outsider')]);
    teamId = await aTeamWithMembers(t, owner, [], 'Valid');
  });
  afterAll(() => t?.close());

  const unexpectedErrors = () => t.logs().filter((l) => l.msg === 'unexpected GraphQL error');

  it.each([
    ['a NUL character', 'a\u0000b'],
    ['a control character', 'a\u0007b'],
    ['a right-to-left override', 'invoice\u202Etxt.exe'],
    ['a bidi isolate', 'a\u2067b'],
  ])('refuses an API key or team name with %s: BAD_USER_INPUT naming the field, nothing stored', async (_label, name) => {
    for (const [query, input] of [
      [CREATE_KEY, { teamId, name }],
      [CREATE_TEAM, { name }],
      [RENAME_TEAM, { teamId, name }],
    ] as const) {
      const res = await owner.client.gql(query, { i: input });
      expect(res.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'name' });
    }
    expect(await t.sql('SELECT id FROM api_keys WHERE team_id = $1', [teamId])).toEqual([]);
    expect(await t.sql<{ name: string }>('SELECT name FROM teams WHERE id = $1', [teamId])).toEqual([{ name: 'Valid' }]);
    expect(unexpectedErrors()).toEqual([]);
  });

  it('refuses a NUL character in any other string argument before it reaches a resolver', async () => {
    const res = await t.client().gql(`mutation($i: VerifyEmailInput!) { verifyEmail(input: $i) { id } }`, {
      i: { token: 'abc\u0000def', password: 'irrelevant' },
    });
    expect(res.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'token' });
    expect(unexpectedErrors()).toEqual([]);
  });

  it('cleans control and bidi characters out of an upload file name', async () => {
    const { createUpload } = await owner.client.ok(`mutation($i: CreateUploadInput!) { createUpload(input: $i) { id } }`, {
      i: { teamId, filename: 'holiday\u202Egnp.exe\u0007', contentType: 'image/png', byteSize: 100 },
    });
    expect((await storedFileNames(t, 'uploads', teamId)).get(createUpload.id)).toBe('holidaygnp.exe');
  });

  it.each([
    ['a time that is only a number', { t: '1', id: randomUUID() }],
    ['a year PostgreSQL cannot store', { t: '+275760-09-13T00:00:00.000Z', id: randomUUID() }],
    ['year zero', { t: '0000-01-01T00:00:00.000Z', id: randomUUID() }],
    ['an impossible date', { t: '2026-02-30T00:00:00.000Z', id: randomUUID() }],
    ['a date without milliseconds', { t: '2026-01-01T00:00:00Z', id: randomUUID() }],
    ['a number for the time', { t: 1, id: randomUUID() }],
    ['null', null],
  ])('refuses a cursor with %s: BAD_USER_INPUT on `after`', async (_label, value) => {
    const after = cursor(value);
    const keys = await owner.client.gql(KEYS_AFTER, { teamId, after });
    expect(keys.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
    const teams = await owner.client.gql(TEAMS_AFTER, { after });
    expect(teams.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(unexpectedErrors()).toEqual([]);
  });

  it('still pages with the cursors it wrote', async () => {
    const first = await owner.client.ok(`{ teams(first: 1) { pageInfo { endCursor hasNextPage } } }`);
    expect(first.teams.pageInfo.hasNextPage).toBe(true);
    const next = await owner.client.ok(TEAMS_AFTER, { after: first.teams.pageInfo.endCursor });
    expect(next.teams.edges).toHaveLength(1);
  });

  // Runs after the tests that expect no unexpected error in the log.
  it('logs a database error without its query parameters or the values in its detail', async () => {
    await anApiKey(owner, teamId, 'logged');
    const [{ secret_hash: secretHash }] = await t.sql<{ secret_hash: string }>('SELECT secret_hash FROM api_keys WHERE team_id = $1', [
      teamId,
    ]);
    // A real failure of the API's own DataSource: a duplicate secret hash (its value is both a parameter and in the detail).
    const failure: unknown = await t.api.database.dataSource
      .getRepository(ApiKeyEntity)
      .insert({ teamId, name: 'dup', prefix: 'ck_dup', secretHash, createdByUserId: null, lastUsedAt: null, revokedAt: null })
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ name: 'QueryFailedError', parameters: expect.arrayContaining([secretHash]) });

    const wrapped = new GraphQLError('x', { originalError: failure as Error, path: ['createApiKey'] });
    const answer = formatGraphqlError(wrapped.toJSON(), wrapped, t.api.logger);
    expect(answer.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    const logged = unexpectedErrors();
    expect(logged).toHaveLength(1);
    expect(logged[0].err).toMatchObject({ type: 'QueryFailedError', message: expect.stringMatching(/duplicate key/) });
    expect(JSON.stringify(logged)).not.toContain(secretHash);
  });

  it('gives the same error for two objects the caller cannot see, whatever they are', async () => {
    const otherTeamKey = (await owner.client.ok(`query($t: ID!) { apiKeys(teamId: $t) { edges { node { id } } } }`, { t: teamId })).apiKeys
      .edges[0].node.id as string;
    const hiddenKey = await outsider.client.gql(REVOKE_KEY, { i: { id: otherTeamKey } });
    const missingKey = await outsider.client.gql(REVOKE_KEY, { i: { id: randomUUID() } });
    expect(hiddenKey.errors).toEqual(missingKey.errors);
    expect(hiddenKey.errors?.[0]).toMatchObject({ message: 'Not found.', extensions: { code: 'NOT_FOUND' } });

    const invitation = (await owner.client.ok(INVITE, { i: { teamId, email: anEmail('invitee'), role: 'MEMBER' } })).inviteMember
      .id as string;
    const hiddenInvitation = await outsider.client.gql(REVOKE_INVITATION, { i: { invitationId: invitation } });
    const missingInvitation = await outsider.client.gql(REVOKE_INVITATION, { i: { invitationId: randomUUID() } });
    expect(hiddenInvitation.errors).toEqual(missingInvitation.errors);
    expect(hiddenInvitation.errors?.[0]).toMatchObject({ message: 'Not found.', extensions: { code: 'NOT_FOUND' } });
  });
});
