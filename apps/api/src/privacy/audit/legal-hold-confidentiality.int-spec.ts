import { FakeClock } from '../../common/clock.fake';
import { aPlatformAdmin, aSignedInUser, aTeamWithMembers, type SignedInUser } from '../../../testing/builders';
import { APPROVE_REQUEST, CREATE_REQUEST, untilQueueDone } from '../../../testing/data-requests-client';
import { startTestApi, type TestApi } from '../../../testing/test-api';
import { SubjectDataService } from '../personal-data/subject-data.service';

const ENTRY = 'id action teamId subjectUserId targetType targetId reason details';
const TEAM_LOG = `query($t: ID!) { auditLog(teamId: $t, first: 100) { edges { node { ${ENTRY} } } } }`;
const PLATFORM_LOG = `query($f: AuditLogFilter) { platformAuditLog(first: 100, filter: $f) { edges { node { ${ENTRY} } } } }`;
const PLACE = `mutation($i: PlaceLegalHoldInput!) { placeLegalHold(input: $i) { id } }`;
const RELEASE = `mutation($i: ReleaseLegalHoldInput!) { releaseLegalHold(input: $i) { id } }`;
const CHANGE_ROLE = `mutation($i: ChangeMemberRoleInput!) { changeMemberRole(input: $i) { role } }`;

type Node = { action: string; details: Record<string, unknown>; [k: string]: unknown };
const nodes = (connection: { edges: { node: Node }[] }) => connection.edges.map((e) => e.node);

/** A legal hold is for platform admins only: neither its subject nor a held team's owners and admins learn of it. */
describe('legal holds stay confidential in the audit log', () => {
  const clock = new FakeClock();
  let t: TestApi;
  let admin: SignedInUser;
  let person: SignedInUser;
  let owner: SignedInUser;
  let teamAdmin: SignedInUser;
  let teamId: string;
  let userHold: string;
  let teamHold: string;
  /** Every string that would tell of a hold: its ids and references. */
  let secrets: string[];

  beforeAll(async () => {
    t = await startTestApi({ PRIVACY_SWEEP_CRON: '' }, { clock });
    admin = await aPlatformAdmin(t, 'hold-admin');
    person = await aSignedInUser(t, 'held-person');
    [owner, teamAdmin] = await Promise.all([aSignedInUser(t, 'held-owner'), aSignedInUser(t, 'held-team-admin')]);
    teamId = await aTeamWithMembers(t, owner, [{ user: teamAdmin, role: 'ADMIN' }], 'Held team');
    await owner.client.ok(CHANGE_ROLE, { i: { teamId, userId: teamAdmin.id, role: 'MEMBER' } });
    await owner.client.ok(CHANGE_ROLE, { i: { teamId, userId: teamAdmin.id, role: 'ADMIN' } });

    userHold = (await admin.client.ok(PLACE, { i: { subject: { kind: 'USER', id: person.id }, reference: 'Case UH-4411' } })).placeLegalHold
      .id;
    teamHold = (await admin.client.ok(PLACE, { i: { subject: { kind: 'TEAM', id: teamId }, reference: 'Subpoena TH-9023' } }))
      .placeLegalHold.id;
    // The person asks for deletion; the executor finds the hold and records that it waits (DATA_REQUEST_WAITING with the hold id).
    const { createDataRequest } = await admin.client.ok(CREATE_REQUEST, { i: { email: person.email, kind: 'DELETION', note: null } });
    await admin.client.ok(APPROVE_REQUEST, { i: { id: createDataRequest.id } });
    await untilQueueDone(t, createDataRequest.id);
    await admin.client.ok(RELEASE, { i: { id: teamHold, reason: 'Released TH-9023' } });
    secrets = [userHold, teamHold, 'UH-4411', 'TH-9023'];
  }, 60_000);
  afterAll(() => t?.close());

  const exportOf = async (user: SignedInUser) => {
    const subjects = t.api.app.get(SubjectDataService, { strict: false });
    const subject = await subjects.resolveSubject(user.id);
    return (await subjects.collectExport(subject!)).sections as Record<string, any>;
  };
  const revealed = (value: unknown) => {
    const json = JSON.stringify(value);
    return [...secrets.filter((s) => json.includes(s)), ...(json.includes('LEGAL_HOLD') ? ['LEGAL_HOLD'] : [])];
  };

  it('the platform log shows the holds with their references, and the wait with the hold’s id', async () => {
    const aboutPerson = nodes((await admin.client.ok(PLATFORM_LOG, { f: { email: person.email } })).platformAuditLog);
    expect(aboutPerson).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'LEGAL_HOLD_PLACED', targetId: userHold, reason: 'Case UH-4411' }),
        expect.objectContaining({ action: 'DATA_REQUEST_WAITING', details: expect.objectContaining({ holdId: userHold }) }),
      ]),
    );
    const aboutTeam = nodes((await admin.client.ok(PLATFORM_LOG, { f: { teamId } })).platformAuditLog);
    expect(aboutTeam.map((e) => e.action)).toEqual(expect.arrayContaining(['LEGAL_HOLD_PLACED', 'LEGAL_HOLD_RELEASED']));
    expect(aboutTeam.find((e) => e.action === 'LEGAL_HOLD_PLACED')).toMatchObject({ targetId: teamHold, reason: 'Subpoena TH-9023' });
  });

  it('the held person’s export has their audit entries but no hold entry, no wait entry and no hold id or reference', async () => {
    const sections = await exportOf(person);
    const actions = (sections.audit.entries as Node[]).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['DATA_REQUEST_CREATED', 'DATA_REQUEST_APPROVED']));
    expect(actions).not.toContain('DATA_REQUEST_WAITING');
    expect(revealed(sections)).toEqual([]);
  });

  it('the admin who placed the holds does not carry other people’s holds out in their own export', async () => {
    const sections = await exportOf(admin);
    expect((sections.audit.entries as Node[]).map((e) => e.action)).toContain('DATA_REQUEST_CREATED');
    expect(revealed(sections)).toEqual([]);
  });

  it('a held team’s owner and admin see the team’s entries but neither the hold nor its release', async () => {
    for (const viewer of [owner, teamAdmin]) {
      const entries = nodes((await viewer.client.ok(TEAM_LOG, { t: teamId })).auditLog);
      expect(entries.map((e) => e.action)).toEqual(['MEMBER_ROLE_CHANGED', 'MEMBER_ROLE_CHANGED']);
      expect(revealed(entries)).toEqual([]);
    }
  });

  it('what a team log or an export leaves out is still in the table (append-only, nothing removed)', async () => {
    const rows = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE target_id = ANY($1::text[])`, [
      [userHold, teamHold],
    ]);
    expect(rows).toEqual([{ n: 3 }]);
  });
});
