import { aSignedInUser, aTeamWithMembers, type SignedInUser } from '../../../testing/builders';
import { uploadImage } from '../../../testing/jobs-client';
import { aSubjectImage } from '../../../testing/test-images';
import { startTestApi, type TestApi } from '../../../testing/test-api';
import { FakeClock } from '../../common/clock.fake';
import { RetentionSweeperService } from './retention-sweeper.service';

const POLICY = `query($id: ID!) { retentionPolicy(teamId: $id) {
  teamId uploadsHours resultsHours jobRecordsDays isDefault updatedAt
  defaults { uploadsHours resultsHours jobRecordsDays } minimums { uploadsHours resultsHours jobRecordsDays }
  maximums { uploadsHours resultsHours jobRecordsDays } } }`;
const UPDATE = `mutation($i: UpdateRetentionPolicyInput!) { updateRetentionPolicy(input: $i) { teamId uploadsHours resultsHours jobRecordsDays isDefault updatedAt } }`;

/** Team retention policies through GraphQL: defaults, changes within bounds, refusals that change nothing, the audit entry. */
describe('retention policies', () => {
  const clock = new FakeClock();
  let t: TestApi;
  let owner: SignedInUser;
  let member: SignedInUser;
  let teamId: string;

  beforeAll(async () => {
    t = await startTestApi({ RETENTION_UPLOADS_HOURS_MAX: '48', PRIVACY_SWEEP_CRON: '0 0 1 1 *' }, { clock });
    owner = await aSignedInUser(t, 'policy-owner');
    member = await aSignedInUser(t, 'policy-member');
    teamId = await aTeamWithMembers(t, owner, [{ user: member, role: 'MEMBER' }], 'Policies');
  }, 60_000);
  afterAll(() => t?.close());

  const stored = () =>
    t.sql('SELECT uploads_hours, results_hours, job_records_days FROM team_retention_policies WHERE team_id = $1', [teamId]);

  it('answers the configured defaults and bounds for a team without a policy (any member)', async () => {
    const { retentionPolicy } = await member.client.ok(POLICY, { id: teamId });
    expect(retentionPolicy).toEqual({
      teamId,
      uploadsHours: 24,
      resultsHours: 168,
      jobRecordsDays: 90,
      isDefault: true,
      updatedAt: null,
      defaults: { uploadsHours: 24, resultsHours: 168, jobRecordsDays: 90 },
      minimums: { uploadsHours: 1, resultsHours: 1, jobRecordsDays: 1 },
      maximums: { uploadsHours: 48, resultsHours: 2160, jobRecordsDays: 3650 },
    });
  });

  it('refuses values out of range, results kept longer than job records, and non-integers, naming the field; nothing changes', async () => {
    const valid = { teamId, uploadsHours: 12, resultsHours: 48, jobRecordsDays: 30 };
    const cases: [Record<string, unknown>, string][] = [
      [{ uploadsHours: 0 }, 'uploadsHours'],
      [{ uploadsHours: 49 }, 'uploadsHours'],
      [{ resultsHours: 0 }, 'resultsHours'],
      [{ resultsHours: 2161 }, 'resultsHours'],
      [{ jobRecordsDays: 0 }, 'jobRecordsDays'],
      [{ jobRecordsDays: 3651 }, 'jobRecordsDays'],
      [{ resultsHours: 25, jobRecordsDays: 1 }, 'resultsHours'],
    ];
    for (const [change, field] of cases) {
      const res = await owner.client.gql(UPDATE, { i: { ...valid, ...change } });
      expect([res.errors?.[0].extensions?.code, res.errors?.[0].extensions?.field]).toEqual(['BAD_USER_INPUT', field]);
    }
    const fractional = await owner.client.gql(UPDATE, { i: { ...valid, uploadsHours: 1.5 } });
    expect(fractional.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(fractional.errors?.[0].message).toContain('uploadsHours');
    expect(await stored()).toEqual([]);
    expect(await t.sql(`SELECT id FROM audit_log WHERE action = 'RETENTION_POLICY_CHANGED'`)).toEqual([]);
  });

  it('lets an owner change it: stored, answered, and audited with before and after', async () => {
    const { updateRetentionPolicy } = await owner.client.ok(UPDATE, {
      i: { teamId, uploadsHours: 2, resultsHours: 24, jobRecordsDays: 1 },
    });
    expect(updateRetentionPolicy).toMatchObject({ teamId, uploadsHours: 2, resultsHours: 24, jobRecordsDays: 1, isDefault: false });
    expect(await stored()).toEqual([{ uploads_hours: 2, results_hours: 24, job_records_days: 1 }]);
    expect((await member.client.ok(POLICY, { id: teamId })).retentionPolicy).toMatchObject({ uploadsHours: 2, isDefault: false });

    await owner.client.ok(UPDATE, { i: { teamId, uploadsHours: 3, resultsHours: 24, jobRecordsDays: 2 } });
    const audits = await t.sql<{ actor_user_id: string; team_id: string; details: unknown }>(
      `SELECT actor_user_id, team_id, details FROM audit_log WHERE action = 'RETENTION_POLICY_CHANGED' ORDER BY occurred_at`,
    );
    expect(audits).toEqual([
      {
        actor_user_id: owner.id,
        team_id: teamId,
        details: {
          before: { uploadsHours: 24, resultsHours: 168, jobRecordsDays: 90, isDefault: true },
          after: { uploadsHours: 2, resultsHours: 24, jobRecordsDays: 1 },
        },
      },
      {
        actor_user_id: owner.id,
        team_id: teamId,
        details: {
          before: { uploadsHours: 2, resultsHours: 24, jobRecordsDays: 1, isDefault: false },
          after: { uploadsHours: 3, resultsHours: 24, jobRecordsDays: 2 },
        },
      },
    ]);
  });

  it('refuses a member (FORBIDDEN) and leaves the policy as it was', async () => {
    expect(await member.client.errorCode(UPDATE, { i: { teamId, uploadsHours: 5, resultsHours: 5, jobRecordsDays: 5 } })).toBe('FORBIDDEN');
    expect(await stored()).toEqual([{ uploads_hours: 3, results_hours: 24, job_records_days: 2 }]);
  });

  it('applies a stored value beyond the bounds configured now clamped into them: the API shows it, the sweep deletes by it', async () => {
    // Saved while RETENTION_UPLOADS_HOURS_MAX was wider; this API runs with 48.
    const personal = owner.personalTeamId;
    await t.sql(
      `INSERT INTO team_retention_policies (team_id, uploads_hours, results_hours, job_records_days, updated_at) VALUES ($1, 100, 24, 2, now())`,
      [personal],
    );
    expect((await owner.client.ok(POLICY, { id: personal })).retentionPolicy).toMatchObject({ uploadsHours: 48, isDefault: false });
    const { id, put } = await uploadImage(owner.client, personal, await aSubjectImage('png', 32, 32));
    expect(put.status).toBe(200);
    clock.advanceHours(49);
    const report = await t.api.app.get(RetentionSweeperService).sweepOnce();
    expect(report.failed).toEqual([]);
    expect(await t.sql('SELECT id FROM uploads WHERE id = $1', [id])).toEqual([]);
    expect(report.counts.uploads).toBeGreaterThanOrEqual(1);
  });
});
