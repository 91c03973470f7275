import { Client } from 'pg';
import { aPlatformAdmin, aSignedInUser, aTeamWithMembers, type SignedInUser } from '../../../testing/builders';
import { startTestApi, type TestApi } from '../../../testing/test-api';
import { LegalHoldsService } from '../legal-holds/legal-holds.service';
import type { DataSubject } from './personal-data.registry';
import { SubjectDataService } from './subject-data.service';

const PLACE = `mutation($i: PlaceLegalHoldInput!) { placeLegalHold(input: $i) { id } }`;

/**
 * Which holds stop an erasure (a hold on the person, or on ANY team erased with them), and what the
 * erase transaction locks so that a hold placed, or a member added, while it runs is never missed.
 * The concurrent side is a second connection with an open transaction doing what placeLegalHold or
 * an accepted invitation does; the erasure is observed WAITING on it (pg_blocking_pids) before that
 * transaction commits, so the interleaving is fixed, not timed.
 */
describe('erasure against legal holds and concurrent changes', () => {
  let t: TestApi;
  let admin: SignedInUser;
  let subjects: SubjectDataService;
  let holds: LegalHoldsService;
  const other: Client[] = [];

  beforeAll(async () => {
    t = await startTestApi({ ROLE: 'api' });
    admin = await aPlatformAdmin(t);
    subjects = t.api.app.get(SubjectDataService, { strict: false });
    holds = t.api.app.get(LegalHoldsService, { strict: false });
  });
  afterAll(async () => {
    await Promise.all(other.map((c) => c.end()));
    await t?.close();
  });

  const placeHold = async (kind: 'USER' | 'TEAM', id: string): Promise<string> =>
    (await admin.client.ok(PLACE, { i: { subject: { kind, id }, reference: 'Case 2026/5' } })).placeLegalHold.id;
  const subjectOf = async (userId: string): Promise<DataSubject> => {
    const subject = await subjects.resolveSubject(userId);
    if (!subject) throw new Error('no such user');
    return subject;
  };
  /** What a refused erasure must leave as it was. */
  const state = async (userId: string, teamIds: string[]) => ({
    user: await t.sql('SELECT id, email_index FROM users WHERE id = $1', [userId]),
    teams: await t.sql('SELECT id, name FROM teams WHERE id = ANY($1::uuid[]) ORDER BY id', [teamIds]),
    memberships: await t.sql(
      'SELECT team_id, user_id, role FROM memberships WHERE user_id = $1 OR team_id = ANY($2::uuid[]) ORDER BY team_id, user_id',
      [userId, teamIds],
    ),
  });
  const refusal = (reason: string) => expect.objectContaining({ code: 'CONFLICT', details: expect.objectContaining({ reason }) });

  /** A second connection with an open transaction (what another request is doing right now). */
  const openTransaction = async () => {
    const client = new Client({ connectionString: t.env.DATABASE_URL });
    await client.connect();
    other.push(client);
    await client.query('BEGIN');
    const [{ pid }] = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
    return { client, pid };
  };
  /** Resolves once `work` settled or some other session waits for a lock `pid` holds: whichever comes first. */
  const waitsFor = async (pid: number, work: Promise<unknown>): Promise<boolean> => {
    let settled = false;
    void work.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (;;) {
      const [{ n }] = await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [
        pid,
      ]);
      if (n > 0) return true;
      if (settled) return false;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const outcome = (work: Promise<unknown>) =>
    work.then(
      () => 'erased',
      (error: unknown) => error,
    );

  it('a TEAM hold on a non-personal team whose only member is the person stops the erasure (CONFLICT LEGAL_HOLD), changing nothing', async () => {
    const user = await aSignedInUser(t, 'solo');
    const soloTeamId = await aTeamWithMembers(t, user, [], 'Solo');
    const holdId = await placeHold('TEAM', soloTeamId);
    const subject = await subjectOf(user.id);
    expect(subject.personalTeamIds).toEqual(expect.arrayContaining([user.personalTeamId, soloTeamId]));
    expect(await holds.holdOnUser(user.id)).toEqual({ id: holdId, reference: 'Case 2026/5', subjectKind: 'TEAM', subjectId: soloTeamId });

    const before = await state(user.id, [user.personalTeamId, soloTeamId]);
    await expect(subjects.assertErasable(subject)).rejects.toEqual(refusal('LEGAL_HOLD'));
    await expect(subjects.erase(subject)).rejects.toEqual(
      expect.objectContaining({ code: 'CONFLICT', details: { reason: 'LEGAL_HOLD', holdId } }),
    );
    expect(await state(user.id, [user.personalTeamId, soloTeamId])).toEqual(before);
  });

  it('a held person’s teams where they are the only member count as held; a team with other members does not', async () => {
    const user = await aSignedInUser(t, 'held');
    const member = await aSignedInUser(t, 'colleague');
    const soloTeamId = await aTeamWithMembers(t, user, [], 'Solo');
    const sharedTeamId = await aTeamWithMembers(t, user, [{ user: member, role: 'MEMBER' }], 'Shared');
    const holdId = await placeHold('USER', user.id);

    const held = await holds.heldSubjects();
    expect(held.userIds.has(user.id)).toBe(true);
    expect([user.personalTeamId, soloTeamId, sharedTeamId].map((id) => held.teamIds.has(id))).toEqual([true, true, false]);
    expect((await holds.holdOnTeam(soloTeamId))?.id).toBe(holdId);
    expect(await holds.holdOnTeam(sharedTeamId)).toBeNull();
    // The colleague's own deletion is not paused by a hold on someone they share a team with.
    expect(await holds.holdOnUser(member.id)).toBeNull();
  });

  it.each(['USER', 'TEAM'] as const)(
    'a %s hold committed while the erasure waits for its lock stops the erasure (LEGAL_HOLD), changing nothing',
    async (kind) => {
      const user = await aSignedInUser(t, `late-${kind.toLowerCase()}`);
      const soloTeamId = await aTeamWithMembers(t, user, [], 'Solo');
      const subject = await subjectOf(user.id);
      const before = await state(user.id, [user.personalTeamId, soloTeamId]);

      // What placeLegalHold does, paused before its commit: a key-share lock on the subject row, then the hold.
      const { client, pid } = await openTransaction();
      const [table, subjectId] = kind === 'USER' ? ['users', user.id] : ['teams', soloTeamId];
      await client.query(`SELECT id FROM ${table} WHERE id = $1 FOR KEY SHARE`, [subjectId]);
      const {
        rows: [hold],
      } = await client.query<{ id: string }>(
        `INSERT INTO legal_holds (subject_kind, subject_id, reference, placed_by_user_id) VALUES ($1, $2, 'Late case', $3) RETURNING id`,
        [kind, subjectId, admin.id],
      );

      const erasing = outcome(subjects.erase(subject));
      expect(await waitsFor(pid, erasing)).toBe(true);
      await client.query('COMMIT');
      expect(await erasing).toEqual(expect.objectContaining({ code: 'CONFLICT', details: { reason: 'LEGAL_HOLD', holdId: hold.id } }));
      expect(await state(user.id, [user.personalTeamId, soloTeamId])).toEqual(before);
    },
  );

  it('someone who joins a to-be-erased team while the erasure waits is not removed silently: the erasure stops with LAST_OWNER', async () => {
    const user = await aSignedInUser(t, 'leaving');
    const joiner = await aSignedInUser(t, 'joiner');
    const soloTeamId = await aTeamWithMembers(t, user, [], 'Solo');
    const subject = await subjectOf(user.id);
    expect(subject.personalTeamIds).toContain(soloTeamId);
    const before = await state(user.id, [user.personalTeamId, soloTeamId]);

    // What accepting an invitation does (adding the membership), paused before its commit.
    const { client, pid } = await openTransaction();
    const joined = { team_id: soloTeamId, user_id: joiner.id, role: 'MEMBER' };
    await client.query('INSERT INTO memberships (team_id, user_id, role) VALUES ($1, $2, $3)', Object.values(joined));
    const erasing = outcome(subjects.erase(subject));
    expect(await waitsFor(pid, erasing)).toBe(true);
    await client.query('COMMIT');

    expect(await erasing).toEqual(expect.objectContaining({ code: 'CONFLICT', details: { reason: 'LAST_OWNER', teamIds: [soloTeamId] } }));
    const after = await state(user.id, [user.personalTeamId, soloTeamId]);
    expect({ ...after, memberships: after.memberships.length }).toEqual({ ...before, memberships: before.memberships.length + 1 });
    expect(after.memberships).toEqual(expect.arrayContaining([...before.memberships, joined]));
  });
});
