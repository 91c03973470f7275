import { randomUUID } from 'node:crypto';
import { aPlatformAdmin, aSignedInUser, aTeamWithMembers, anApiKey, withTeamRole, type SignedInUser } from '../../../testing/builders';
import { startTestApi, type TestApi } from '../../../testing/test-api';
import { LegalHoldsService } from './legal-holds.service';

const FIELDS = 'id subjectKind subjectId reference placedAt placedByUserId releasedAt releasedByUserId releaseReason active';
const PLACE = `mutation($i: PlaceLegalHoldInput!) { placeLegalHold(input: $i) { ${FIELDS} } }`;
const RELEASE = `mutation($i: ReleaseLegalHoldInput!) { releaseLegalHold(input: $i) { ${FIELDS} } }`;
const LIST = `query($activeOnly: Boolean, $first: Int, $after: String) {
  legalHolds(activeOnly: $activeOnly, first: $first, after: $after) { edges { node { id active } } pageInfo { hasNextPage endCursor } } }`;

describe('legal holds (platform admins)', () => {
  let t: TestApi;
  let admin: SignedInUser;
  let holds: LegalHoldsService;

  beforeAll(async () => {
    t = await startTestApi({ ROLE: 'api' });
    admin = await aPlatformAdmin(t);
    holds = t.api.app.get(LegalHoldsService);
  });
  afterAll(() => t.close());

  /** Every hold and every hold entry of the audit log: what a refused call must leave as it was. */
  const state = async () => ({
    holds: await t.sql('SELECT * FROM legal_holds ORDER BY id'),
    audit: await t.sql(`SELECT id FROM audit_log WHERE action LIKE 'LEGAL_HOLD_%' ORDER BY id`),
  });
  const place = (subject: { kind: string; id: string }, reference = 'Case 2026/117') =>
    admin.client.ok(PLACE, { i: { subject, reference } }).then((d) => d.placeLegalHold);
  const auditOf = (holdId: string) =>
    t.sql(
      `SELECT action, actor_kind, actor_user_id, team_id, subject_user_id, target_type, reason, details
         FROM audit_log WHERE target_id = $1 ORDER BY occurred_at`,
      [holdId],
    );

  it('places a hold on a user, which the reader sees (their personal team too), and releases it; both are audited', async () => {
    const user = await aSignedInUser(t, 'held');
    const placed = await place({ kind: 'USER', id: user.id });
    expect(placed).toEqual({
      id: expect.any(String),
      subjectKind: 'USER',
      subjectId: user.id,
      reference: 'Case 2026/117',
      placedAt: expect.any(String),
      placedByUserId: admin.id,
      releasedAt: null,
      releasedByUserId: null,
      releaseReason: null,
      active: true,
    });
    expect(await holds.holdOnUser(user.id)).toEqual({ id: placed.id, reference: 'Case 2026/117', subjectKind: 'USER', subjectId: user.id });
    expect((await holds.holdOnTeam(user.personalTeamId))?.id).toBe(placed.id);

    const { releaseLegalHold } = await admin.client.ok(RELEASE, { i: { id: placed.id, reason: '  Case closed  ' } });
    expect(releaseLegalHold).toMatchObject({ id: placed.id, active: false, releasedByUserId: admin.id, releaseReason: 'Case closed' });
    expect(new Date(releaseLegalHold.releasedAt).getTime()).toBeGreaterThanOrEqual(new Date(placed.placedAt).getTime());
    expect(await holds.holdOnUser(user.id)).toBeNull();

    const about = { actor_kind: 'USER', actor_user_id: admin.id, team_id: null, subject_user_id: user.id, target_type: 'LEGAL_HOLD' };
    expect(await auditOf(placed.id)).toEqual([
      { action: 'LEGAL_HOLD_PLACED', ...about, reason: 'Case 2026/117', details: { subjectKind: 'USER' } },
      { action: 'LEGAL_HOLD_RELEASED', ...about, reason: 'Case closed', details: { subjectKind: 'USER' } },
    ]);
  });

  it('ties a member of someone else’s personal team to none of it: holds pause only what an erasure would remove', async () => {
    // B is a MEMBER of A's personal team: erasing B removes none of it, so a hold on B must not
    // pause its retention, nor a hold on it pause B's erasure. A hold on A pauses both ways.
    const a = await aSignedInUser(t, 'maker');
    const b = await aSignedInUser(t, 'guest');
    await withTeamRole(t, a, a.personalTeamId, b, 'MEMBER');
    const onB = await place({ kind: 'USER', id: b.id });
    expect((await holds.heldSubjects()).teamIds.has(a.personalTeamId)).toBe(false);
    expect((await holds.heldSubjects()).teamIds.has(b.personalTeamId)).toBe(true);
    expect(await holds.holdOnTeam(a.personalTeamId)).toBeNull();
    await admin.client.ok(RELEASE, { i: { id: onB.id, reason: 'test' } });

    const onTeamOfA = await place({ kind: 'TEAM', id: a.personalTeamId });
    expect(await holds.holdOnUser(b.id)).toBeNull();
    expect((await holds.holdOnUser(a.id))?.id).toBe(onTeamOfA.id);
    await admin.client.ok(RELEASE, { i: { id: onTeamOfA.id, reason: 'test' } });

    const onA = await place({ kind: 'USER', id: a.id });
    expect((await holds.heldSubjects()).teamIds.has(a.personalTeamId)).toBe(true);
    expect((await holds.holdOnTeam(a.personalTeamId))?.id).toBe(onA.id);
    await admin.client.ok(RELEASE, { i: { id: onA.id, reason: 'test' } });
  });

  it('places a hold on a team; the team is the entry’s team', async () => {
    const owner = await aSignedInUser(t, 'owner');
    const member = await aSignedInUser(t, 'member');
    const teamId = await aTeamWithMembers(t, owner, [{ user: member, role: 'MEMBER' }]);
    const placed = await place({ kind: 'TEAM', id: teamId }, 'Subpoena 88');
    expect((await holds.holdOnTeam(teamId))?.id).toBe(placed.id);
    // A team with several members is not erased with any of them: their deletions are not paused.
    expect(await holds.holdOnUser(owner.id)).toBeNull();
    expect(await holds.holdOnUser(member.id)).toBeNull();
    expect(await auditOf(placed.id)).toEqual([
      {
        action: 'LEGAL_HOLD_PLACED',
        actor_kind: 'USER',
        actor_user_id: admin.id,
        team_id: teamId,
        subject_user_id: null,
        target_type: 'LEGAL_HOLD',
        reason: 'Subpoena 88',
        details: { subjectKind: 'TEAM' },
      },
    ]);
  });

  it('refuses a second active hold on the same subject (CONFLICT), also when two admins place one at once; after release a new one is allowed', async () => {
    const user = await aSignedInUser(t, 'twice');
    const first = await place({ kind: 'USER', id: user.id });
    const before = await state();
    expect(await admin.client.errorCode(PLACE, { i: { subject: { kind: 'USER', id: user.id }, reference: 'Another case' } })).toBe(
      'CONFLICT',
    );
    // The database itself refuses it too (a unique index on active holds), whoever writes.
    await expect(
      t.sql(`INSERT INTO legal_holds (subject_kind, subject_id, reference) VALUES ('USER', $1, 'direct')`, [user.id]),
    ).rejects.toThrow(/idx_legal_holds_active/);
    expect(await state()).toEqual(before);

    await admin.client.ok(RELEASE, { i: { id: first.id, reason: 'done' } });
    const other = await aPlatformAdmin(t, 'other-admin');
    const raced = await Promise.all(
      [admin, other].map((a) => a.client.gql(PLACE, { i: { subject: { kind: 'USER', id: user.id }, reference: 'Race' } })),
    );
    expect(raced.map((r) => r.errors?.[0]?.extensions?.code ?? 'placed').sort()).toEqual(['CONFLICT', 'placed']);
    expect(await t.sql(`SELECT count(*)::int AS n FROM legal_holds WHERE subject_id = $1 AND released_at IS NULL`, [user.id])).toEqual([
      { n: 1 },
    ]);
    expect(
      await t.sql(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'LEGAL_HOLD_PLACED' AND subject_user_id = $1`, [user.id]),
    ).toEqual([{ n: 2 }]);
  });

  it('refuses a subject that does not exist (NOT_FOUND) and a bad reference (BAD_USER_INPUT), changing nothing', async () => {
    const user = await aSignedInUser(t, 'subject');
    const before = await state();
    const refused = async (subject: { kind: string; id: string }, reference = 'Case 1') => {
      const res = await admin.client.gql(PLACE, { i: { subject, reference } });
      return [res.errors?.[0]?.extensions?.code, res.errors?.[0]?.extensions?.field ?? null];
    };
    expect(await refused({ kind: 'USER', id: randomUUID() })).toEqual(['NOT_FOUND', null]);
    expect(await refused({ kind: 'TEAM', id: user.id })).toEqual(['NOT_FOUND', null]);
    expect(await refused({ kind: 'USER', id: 'not-an-id' })).toEqual(['NOT_FOUND', null]);
    expect(await refused({ kind: 'USER', id: user.id }, '')).toEqual(['BAD_USER_INPUT', 'reference']);
    expect(await refused({ kind: 'USER', id: user.id }, '   ')).toEqual(['BAD_USER_INPUT', 'reference']);
    expect(await refused({ kind: 'USER', id: user.id }, 'x'.repeat(201))).toEqual(['BAD_USER_INPUT', 'reference']);
    expect(await refused({ kind: 'USER', id: user.id }, 'Case\u202E1')).toEqual(['BAD_USER_INPUT', 'reference']);
    expect(
      (await admin.client.gql(PLACE, { i: { subject: { kind: 'GROUP', id: user.id }, reference: 'x' } })).errors?.[0]?.extensions?.code,
    ).toBe('BAD_USER_INPUT');
    expect(await state()).toEqual(before);
    expect((await place({ kind: 'USER', id: user.id }, 'x'.repeat(200))).reference).toHaveLength(200);
  });

  it('refuses releasing a released hold (CONFLICT), an unknown hold (NOT_FOUND) and a missing reason (BAD_USER_INPUT), changing nothing', async () => {
    const user = await aSignedInUser(t, 'release');
    const hold = await place({ kind: 'USER', id: user.id });
    expect(await admin.client.errorCode(RELEASE, { i: { id: hold.id, reason: ' ' } })).toBe('BAD_USER_INPUT');
    expect(await admin.client.errorCode(RELEASE, { i: { id: randomUUID(), reason: 'r' } })).toBe('NOT_FOUND');
    expect(await admin.client.errorCode(RELEASE, { i: { id: 'nope', reason: 'r' } })).toBe('NOT_FOUND');
    await admin.client.ok(RELEASE, { i: { id: hold.id, reason: 'first' } });
    const before = await state();
    expect(await admin.client.errorCode(RELEASE, { i: { id: hold.id, reason: 'second' } })).toBe('CONFLICT');
    expect(await state()).toEqual(before);
  });

  it('lists active holds by default, every hold with activeOnly: false, in pages', async () => {
    const [a, b] = await Promise.all(['list-a', 'list-b'].map((n) => aSignedInUser(t, n)));
    const active = await place({ kind: 'USER', id: a.id });
    const released = await place({ kind: 'USER', id: b.id });
    await admin.client.ok(RELEASE, { i: { id: released.id, reason: 'r' } });

    const all = async (activeOnly?: boolean) => {
      const ids: { id: string; active: boolean }[] = [];
      let after: string | undefined;
      for (;;) {
        const { legalHolds } = await admin.client.ok(LIST, { activeOnly, first: 2, after });
        ids.push(...legalHolds.edges.map((e: { node: { id: string; active: boolean } }) => e.node));
        if (!legalHolds.pageInfo.hasNextPage) return ids;
        after = legalHolds.pageInfo.endCursor;
      }
    };
    const listed = await all();
    expect(listed.every((h) => h.active)).toBe(true);
    expect(listed.map((h) => h.id)).toContain(active.id);
    expect(listed.map((h) => h.id)).not.toContain(released.id);
    const everything = await all(false);
    expect(everything).toContainEqual({ id: released.id, active: false });
    expect(everything.length).toBe(Number((await t.sql<{ n: string }>('SELECT count(*) AS n FROM legal_holds'))[0].n));
    expect(await admin.client.errorCode(LIST, { after: 'bogus' })).toBe('BAD_USER_INPUT');
    expect(await admin.client.errorCode(LIST, { first: 0 })).toBe('BAD_USER_INPUT');
  });

  it('is for platform admins only: FORBIDDEN to users (a team owner too) and API keys, UNAUTHENTICATED anonymously, nothing changed', async () => {
    const owner = await aSignedInUser(t, 'not-admin');
    const teamId = await aTeamWithMembers(t, owner);
    const key = t.client().withApiKey(await anApiKey(owner, teamId));
    const hold = await place({ kind: 'TEAM', id: teamId });
    const before = await state();
    const place2 = { i: { subject: { kind: 'TEAM', id: teamId }, reference: 'x' } };
    for (const [client, code] of [
      [owner.client, 'FORBIDDEN'],
      [key, 'FORBIDDEN'],
      [t.client(), 'UNAUTHENTICATED'],
    ] as const) {
      expect(await client.errorCode(PLACE, place2)).toBe(code);
      expect(await client.errorCode(RELEASE, { i: { id: hold.id, reason: 'r' } })).toBe(code);
      expect(await client.errorCode(LIST, {})).toBe(code);
    }
    expect(await state()).toEqual(before);
  });
});
