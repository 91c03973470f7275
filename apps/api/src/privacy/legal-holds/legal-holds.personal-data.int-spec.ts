import { aPlatformAdmin, aSignedInUser, aTeamWithMembers, type SignedInUser } from '../../../testing/builders';
import { startTestApi, type TestApi } from '../../../testing/test-api';
import { SubjectDataService } from '../personal-data/subject-data.service';

const PLACE = `mutation($i: PlaceLegalHoldInput!) { placeLegalHold(input: $i) { id } }`;
const RELEASE = `mutation($i: ReleaseLegalHoldInput!) { releaseLegalHold(input: $i) { id } }`;

/** legal_holds after an erasure: no column keeps the erased person's id, whether they placed a hold or were held. */
describe('legal holds in an erasure', () => {
  let t: TestApi;
  let subjects: SubjectDataService;

  beforeAll(async () => {
    t = await startTestApi({ ROLE: 'api' });
    subjects = t.api.app.get(SubjectDataService, { strict: false });
  });
  afterAll(() => t.close());

  const place = async (by: SignedInUser, kind: 'USER' | 'TEAM', id: string, reference = 'Case 77') =>
    (await by.client.ok(PLACE, { i: { subject: { kind, id }, reference } })).placeLegalHold.id as string;
  const release = (by: SignedInUser, id: string) => by.client.ok(RELEASE, { i: { id, reason: 'Case closed' } });
  const erase = async (user: SignedInUser) => subjects.erase((await subjects.resolveSubject(user.id))!);
  const holdsTable = () => t.sql('SELECT * FROM legal_holds ORDER BY id');
  const mentions = async (userId: string) => JSON.stringify(await holdsTable()).includes(userId);

  it('removes released holds on the person and their personal team, and clears the person as the admin who placed or released holds', async () => {
    const [placer, other] = await Promise.all([aPlatformAdmin(t, 'placer'), aPlatformAdmin(t, 'other-admin')]);
    const [held, stillHeld, released] = await Promise.all(['was-held', 'still-held', 'released-by'].map((n) => aSignedInUser(t, n)));
    // Holds on `held` (the user, then their personal team), both released: no longer pausing anything.
    await release(other, await place(placer, 'USER', held.id));
    await release(placer, await place(other, 'TEAM', held.personalTeamId));
    // Holds on others that the placer placed (still active) or released.
    const active = await place(placer, 'USER', stillHeld.id, 'Case 78');
    const releasedByPlacer = await place(other, 'USER', released.id, 'Case 79');
    await release(placer, releasedByPlacer);

    const heldReceipt = await erase(held);
    expect(heldReceipt.counts).toMatchObject({ 'legal-holds.releasedHoldsRemoved': 2, 'legal-holds.adminLinksCleared': 0 });
    expect(await mentions(held.id)).toBe(false);
    expect(await mentions(held.personalTeamId)).toBe(false);

    const placerReceipt = await erase(placer);
    expect(placerReceipt.counts).toMatchObject({ 'legal-holds.releasedHoldsRemoved': 0, 'legal-holds.adminLinksCleared': 2 });
    expect(await mentions(placer.id)).toBe(false);

    // The holds on others stay, with what is not the erased admin: the active one still pauses its subject.
    const rest = await t.sql(
      'SELECT id, subject_id, placed_by_user_id, released_by_user_id, released_at FROM legal_holds WHERE id = ANY($1::uuid[]) ORDER BY reference',
      [[active, releasedByPlacer]],
    );
    expect(rest).toEqual([
      { id: active, subject_id: stillHeld.id, placed_by_user_id: null, released_by_user_id: null, released_at: null },
      {
        id: releasedByPlacer,
        subject_id: released.id,
        placed_by_user_id: other.id,
        released_by_user_id: null,
        released_at: expect.any(Date),
      },
    ]);
  }, 90_000);

  it('keeps a released hold on a team the person shares with others (not erased with them)', async () => {
    const admin = await aPlatformAdmin(t, 'admin-2');
    const [leaver, stayer] = await Promise.all([aSignedInUser(t, 'leaver'), aSignedInUser(t, 'stayer')]);
    const shared = await aTeamWithMembers(t, stayer, [{ user: leaver, role: 'MEMBER' }], 'Shared');
    const hold = await place(admin, 'TEAM', shared);
    await release(admin, hold);
    await erase(leaver);
    expect(await t.sql('SELECT subject_id FROM legal_holds WHERE id = $1', [hold])).toEqual([{ subject_id: shared }]);
  });

  it('an erasure that is refused (last owner) leaves legal_holds as it was', async () => {
    const admin = await aPlatformAdmin(t, 'admin-3');
    const [lastOwner, member] = await Promise.all([aSignedInUser(t, 'last-owner'), aSignedInUser(t, 'member')]);
    await aTeamWithMembers(t, lastOwner, [{ user: member, role: 'MEMBER' }]);
    await release(admin, await place(admin, 'USER', lastOwner.id));
    const before = await holdsTable();
    await expect(erase(lastOwner)).rejects.toMatchObject({ code: 'CONFLICT', details: { reason: 'LAST_OWNER' } });
    expect(await holdsTable()).toEqual(before);
    expect(await mentions(lastOwner.id)).toBe(true);
  });

  it('exports nothing about holds: a held person is not told of them', async () => {
    const admin = await aPlatformAdmin(t, 'admin-4');
    const person = await aSignedInUser(t, 'exported');
    const hold = await place(admin, 'USER', person.id, 'Case 80');
    const { sections } = await subjects.collectExport((await subjects.resolveSubject(person.id))!);
    expect(Object.keys(sections)).not.toContain('legal-holds');
    expect(JSON.stringify(sections)).not.toContain(hold);
  });
});
