import { randomUUID } from 'node:crypto';
import { aPlatformAdmin, aSignedInUser, aTeamWithMembers, type SignedInUser } from '../../../testing/builders';
import { startTestApi, type TestApi } from '../../../testing/test-api';
import { PersonalDataService } from '../../crypto/personal-data.service';
import { PersonalDataRegistry } from '../personal-data/personal-data.registry';
import { AuditAction } from './audit-actions';
import { AuditActors, AuditLogService } from './audit-log.service';

const ENTRY = 'id occurredAt action actorKind actorUserId actorApiKeyId teamId subjectUserId targetType targetId reason details';
const TEAM_LOG = `query($t: ID!, $first: Int, $after: String) {
  auditLog(teamId: $t, first: $first, after: $after) { edges { cursor node { ${ENTRY} } } pageInfo { hasNextPage endCursor } } }`;
const PLATFORM_LOG = `query($first: Int, $after: String, $f: AuditLogFilter) {
  platformAuditLog(first: $first, after: $after, filter: $f) { edges { node { ${ENTRY} } } pageInfo { hasNextPage endCursor } } }`;
const CHANGE_ROLE = `mutation($i: ChangeMemberRoleInput!) { changeMemberRole(input: $i) { role } }`;

type Node = { id: string; action: string; occurredAt: string; [k: string]: unknown };
type Page = { edges: { node: Node }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

describe('audit log API', () => {
  let t: TestApi;
  let audit: AuditLogService;
  let platformAdmin: SignedInUser;

  beforeAll(async () => {
    t = await startTestApi({ ROLE: 'api' });
    audit = t.api.app.get(AuditLogService);
    platformAdmin = await aPlatformAdmin(t);
  });
  afterAll(() => t.close());

  /** Every node of a connection, following cursors `first` at a time. */
  async function walk(fetchPage: (after?: string) => Promise<Page>): Promise<Node[]> {
    const nodes: Node[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await fetchPage(after);
      nodes.push(...page.edges.map((e) => e.node));
      if (!page.pageInfo.hasNextPage) return nodes;
      after = page.pageInfo.endCursor!;
    }
  }
  const teamLog = (client: SignedInUser, teamId: string, first = 100) =>
    walk(async (after) => (await client.client.ok(TEAM_LOG, { t: teamId, first, after })).auditLog);
  const platformLog = (filter: Record<string, unknown>, first = 100) =>
    walk(async (after) => (await platformAdmin.client.ok(PLATFORM_LOG, { f: filter, first, after })).platformAuditLog);
  /** Entries written straight through the service, `n` in ONE transaction (they share occurred_at: pages must break the tie by id). */
  const entriesInOneTransaction = (n: number, teamId: string, actorUserId?: string) =>
    t.api.database.dataSource.transaction(async (manager) => {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        const actor = actorUserId ? AuditActors.user(actorUserId) : AuditActors.system();
        ids.push((await audit.record({ action: AuditAction.RETENTION_SWEEP, actor, teamId, details: { i } }, manager)).id);
      }
      return ids;
    });

  describe('auditLog (a team’s owners and admins)', () => {
    let owner: SignedInUser;
    let admin: SignedInUser;
    let member: SignedInUser;
    let teamId: string;
    beforeAll(async () => {
      [owner, admin, member] = await Promise.all(['owner', 'admin', 'member'].map((n) => aSignedInUser(t, n)));
      teamId = await aTeamWithMembers(t, owner, [
        { user: admin, role: 'ADMIN' },
        { user: member, role: 'MEMBER' },
      ]);
    });

    it('shows the team’s entries newest first, with every field, to owners and admins', async () => {
      await owner.client.ok(CHANGE_ROLE, { i: { teamId, userId: member.id, role: 'ADMIN' } });
      await owner.client.ok(CHANGE_ROLE, { i: { teamId, userId: member.id, role: 'MEMBER' } });
      const seenByOwner = await teamLog(owner, teamId);
      expect(seenByOwner.slice(0, 2)).toEqual([
        {
          id: expect.any(String),
          occurredAt: expect.any(String),
          action: 'MEMBER_ROLE_CHANGED',
          actorKind: 'USER',
          actorUserId: owner.id,
          actorApiKeyId: null,
          teamId,
          subjectUserId: member.id,
          targetType: null,
          targetId: null,
          reason: null,
          details: { from: 'ADMIN', to: 'MEMBER' },
        },
        expect.objectContaining({ action: 'MEMBER_ROLE_CHANGED', details: { from: 'MEMBER', to: 'ADMIN' } }),
      ]);
      expect(seenByOwner.every((e) => e.teamId === teamId)).toBe(true);
      expect(await teamLog(admin, teamId)).toEqual(seenByOwner);
    });

    it('pages newest first without gaps or repeats, also through entries written at the same instant', async () => {
      const other = await aTeamWithMembers(t, owner, [], 'Other');
      const ids = await entriesInOneTransaction(5, teamId);
      await entriesInOneTransaction(2, other);
      const all = await teamLog(owner, teamId);
      const paged = await teamLog(owner, teamId, 2);
      expect(paged).toEqual(all);
      expect(new Set(paged.map((e) => e.id)).size).toBe(paged.length);
      expect(
        paged
          .slice(0, 5)
          .map((e) => e.id)
          .sort(),
      ).toEqual([...ids].sort());
      const times = paged.map((e) => new Date(e.occurredAt).getTime());
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      expect(await t.sql('SELECT count(*)::int AS n FROM audit_log WHERE team_id = $1', [teamId])).toEqual([{ n: all.length }]);
    });

    it('refuses members (FORBIDDEN), outsiders and unknown teams (NOT_FOUND), bad cursors and page sizes (BAD_USER_INPUT)', async () => {
      const outsider = await aSignedInUser(t, 'outsider');
      expect(await member.client.errorCode(TEAM_LOG, { t: teamId })).toBe('FORBIDDEN');
      expect(await outsider.client.errorCode(TEAM_LOG, { t: teamId })).toBe('NOT_FOUND');
      expect(await owner.client.errorCode(TEAM_LOG, { t: randomUUID() })).toBe('NOT_FOUND');
      expect(await owner.client.errorCode(TEAM_LOG, { t: 'team-1' })).toBe('NOT_FOUND');
      expect(await t.client().errorCode(TEAM_LOG, { t: teamId })).toBe('UNAUTHENTICATED');
      const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      for (const after of [
        'garbage',
        cursor({ t: '2026-01-01T00:00:00.000000', id: 'x' }),
        cursor({ t: '2026-13-01T00:00:00.000000', id: randomUUID() }),
        cursor({ t: '2026-01-01 00:00:00', id: randomUUID() }),
        cursor({ t: "2026-01-01T00:00:00.000000'; --", id: randomUUID() }),
      ]) {
        const res = await owner.client.gql(TEAM_LOG, { t: teamId, after });
        expect([after, res.errors?.[0]?.extensions]).toEqual([after, expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'after' })]);
      }
      expect(await owner.client.errorCode(TEAM_LOG, { t: teamId, first: 0 })).toBe('BAD_USER_INPUT');
      expect(await owner.client.errorCode(TEAM_LOG, { t: teamId, first: 101 })).toBe('BAD_USER_INPUT');
    });
  });

  describe('platformAuditLog (platform admins)', () => {
    let actor: SignedInUser;
    let subject: SignedInUser;
    let teamId: string;
    beforeAll(async () => {
      [actor, subject] = await Promise.all(['actor', 'subject'].map((n) => aSignedInUser(t, n)));
      teamId = await aTeamWithMembers(t, actor, [{ user: subject, role: 'MEMBER' }], 'Filtered');
      await actor.client.ok(CHANGE_ROLE, { i: { teamId, userId: subject.id, role: 'ADMIN' } });
    });

    it('filters by action, team and actor (AND), newest first', async () => {
      await entriesInOneTransaction(3, teamId, actor.id);
      const byTeam = await platformLog({ teamId });
      expect(byTeam.map((e) => e.action)).toEqual(['RETENTION_SWEEP', 'RETENTION_SWEEP', 'RETENTION_SWEEP', 'MEMBER_ROLE_CHANGED']);
      expect(await platformLog({ teamId }, 1)).toEqual(byTeam);
      expect((await platformLog({ teamId, action: 'MEMBER_ROLE_CHANGED' })).map((e) => e.subjectUserId)).toEqual([subject.id]);
      expect(await platformLog({ actorId: actor.id, teamId })).toEqual(byTeam);
      expect(await platformLog({ actorId: subject.id, teamId })).toEqual([]);
      expect((await platformLog({ actorId: actor.id })).every((e) => e.actorUserId === actor.id)).toBe(true);
      expect(await platformLog({ teamId: randomUUID() })).toEqual([]);
    });

    it('matches an email through its blind index, as actor or subject, in any case; an address with no account matches nothing', async () => {
      const bySubject = await platformLog({ email: subject.email.toUpperCase(), teamId });
      expect(bySubject.map((e) => [e.action, e.subjectUserId])).toEqual([['MEMBER_ROLE_CHANGED', subject.id]]);
      const byActor = await platformLog({ email: ` ${actor.email} ` });
      expect(byActor.map((e) => e.id)).toEqual(expect.arrayContaining([bySubject[0].id]));
      expect(byActor.every((e) => e.actorUserId === actor.id || e.subjectUserId === actor.id)).toBe(true);
      expect(await platformLog({ email: 'no.account@example.com' })).toEqual([]);
      // The address was only hashed: nothing in the log holds it.
      const index = t.api.app.get(PersonalDataService).emailIndex(subject.email);
      const dump = JSON.stringify(await t.sql('SELECT * FROM audit_log'));
      expect(dump).not.toContain(subject.email);
      expect(dump).not.toContain(index);
    });

    it('filters by time: from inclusive, to exclusive', async () => {
      const [entry] = await platformLog({ teamId, action: 'MEMBER_ROLE_CHANGED' });
      const at = new Date(entry.occurredAt);
      const plus = (ms: number) => new Date(at.getTime() + ms).toISOString();
      expect((await platformLog({ teamId, from: at.toISOString(), to: plus(1) })).map((e) => e.id)).toEqual([entry.id]);
      expect((await platformLog({ teamId, from: plus(-60_000), to: at.toISOString() })).map((e) => e.id)).toEqual([]);
      expect((await platformLog({ teamId, action: 'MEMBER_ROLE_CHANGED', from: plus(1) })).map((e) => e.id)).toEqual([]);
    });

    it('refuses from after to, malformed ids and emails, and bad cursors (BAD_USER_INPUT naming the field)', async () => {
      const field = async (variables: Record<string, unknown>) => {
        const res = await platformAdmin.client.gql(PLATFORM_LOG, variables);
        return [res.errors?.[0]?.extensions?.code, res.errors?.[0]?.extensions?.field];
      };
      const now = Date.now();
      expect(await field({ f: { from: new Date(now).toISOString(), to: new Date(now - 1).toISOString() } })).toEqual([
        'BAD_USER_INPUT',
        'filter.to',
      ]);
      expect(await field({ f: { teamId: 'team-1' } })).toEqual(['BAD_USER_INPUT', 'filter.teamId']);
      expect(await field({ f: { actorId: '1' } })).toEqual(['BAD_USER_INPUT', 'filter.actorId']);
      expect(await field({ f: { email: 'not an email' } })).toEqual(['BAD_USER_INPUT', 'filter.email']);
      expect(await field({ after: 'nope' })).toEqual(['BAD_USER_INPUT', 'after']);
      expect(await field({ f: { email: 'no.account@example.com' }, after: 'nope' })).toEqual(['BAD_USER_INPUT', 'after']);
      expect(await field({ f: { action: 'NOT_AN_ACTION' } })).toEqual(['BAD_USER_INPUT', undefined]);
    });

    it('is for platform admins only', async () => {
      expect(await actor.client.errorCode(PLATFORM_LOG, {})).toBe('FORBIDDEN');
      expect(await t.client().errorCode(PLATFORM_LOG, {})).toBe('UNAUTHENTICATED');
    });
  });

  describe('personal data source "audit"', () => {
    it('exports the entries where the person acted or is the subject, with every other person’s id blanked', async () => {
      const [owner, member, stranger] = await Promise.all(['exp-owner', 'exp-member', 'exp-stranger'].map((n) => aSignedInUser(t, n)));
      const teamId = await aTeamWithMembers(t, owner, [{ user: member, role: 'MEMBER' }], 'Export');
      await owner.client.ok(CHANGE_ROLE, { i: { teamId, userId: member.id, role: 'ADMIN' } });
      const own = await audit.record({ action: AuditAction.CONSENT_CHANGED, actor: AuditActors.user(member.id), subjectUserId: member.id });
      await audit.record({ action: AuditAction.MEMBER_REMOVED, actor: AuditActors.user(owner.id), subjectUserId: stranger.id, teamId });
      const source = t.api.app
        .get(PersonalDataRegistry)
        .sources()
        .find((s) => s.name === 'audit')!;
      expect(source.eraseOrder).toBe(10);
      const subject = { userId: member.id, emailIndex: '', personalTeamIds: [member.personalTeamId] };
      const { data } = await source.exportFor!(subject);
      const entries = (data as { entries: Node[] }).entries;
      expect(entries.every((e) => e.actorUserId === member.id || e.subjectUserId === member.id)).toBe(true);
      const ours = entries.filter((e) => e.teamId === teamId || e.id === own.id);
      expect(ours.map((e) => [e.action, e.actorUserId, e.subjectUserId])).toEqual([
        ['MEMBER_ROLE_CHANGED', null, member.id],
        ['CONSENT_CHANGED', member.id, member.id],
      ]);
      expect(JSON.stringify(data)).not.toContain(owner.id);
      expect(JSON.stringify(data)).not.toContain(stranger.id);
    });

    it('erases by clearing both links (the entries stay, the append-only trigger allows it), counting each entry once', async () => {
      const [person, other] = await Promise.all(['erase-me', 'erase-other'].map((n) => aSignedInUser(t, n)));
      const teamId = await aTeamWithMembers(t, person, [{ user: other, role: 'MEMBER' }], 'Erase');
      await person.client.ok(CHANGE_ROLE, { i: { teamId, userId: other.id, role: 'ADMIN' } });
      await audit.record({ action: AuditAction.MEMBER_ROLE_CHANGED, actor: AuditActors.user(other.id), subjectUserId: person.id, teamId });
      const own = await audit.record({ action: AuditAction.CONSENT_CHANGED, actor: AuditActors.user(person.id), subjectUserId: person.id });
      const source = t.api.app
        .get(PersonalDataRegistry)
        .sources()
        .find((s) => s.name === 'audit')!;
      const about = await t.sql<{ id: string }>('SELECT id FROM audit_log WHERE actor_user_id = $1 OR subject_user_id = $1', [person.id]);
      const outcome = await t.api.database.dataSource.transaction((manager) =>
        source.erase!({ userId: person.id, emailIndex: '', personalTeamIds: [person.personalTeamId] }, manager),
      );
      expect(outcome.counts).toEqual({ auditEntriesUnlinked: about.length });
      expect(about.map((r) => r.id)).toContain(own.id);
      expect(await t.sql('SELECT actor_user_id, subject_user_id, action FROM audit_log WHERE id = $1', [own.id])).toEqual([
        { actor_user_id: null, subject_user_id: null, action: 'CONSENT_CHANGED' },
      ]);
      expect(await t.sql('SELECT count(*)::int AS n FROM audit_log WHERE actor_user_id = $1 OR subject_user_id = $1', [person.id])).toEqual(
        [{ n: 0 }],
      );
      expect(await t.sql(`SELECT actor_user_id, subject_user_id FROM audit_log WHERE team_id = $1 ORDER BY occurred_at`, [teamId])).toEqual(
        [
          { actor_user_id: null, subject_user_id: other.id },
          { actor_user_id: other.id, subject_user_id: null },
        ],
      );
    });
  });
});
