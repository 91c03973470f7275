import { aSignedInUser } from '../../../testing/builders';
import { startTestApi, type TestApi } from '../../../testing/test-api';
import { AuditAction } from './audit-actions';
import { AuditActors, AuditLogService } from './audit-log.service';

describe('audit log (append-only in the database)', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi();
  });
  afterAll(() => t.close());

  const entry = async () => {
    const actor = await aSignedInUser(t, 'actor');
    const subject = await aSignedInUser(t, 'subject');
    const row = await t.api.app.get(AuditLogService).record({
      action: AuditAction.MEMBER_ROLE_CHANGED,
      actor: AuditActors.user(actor.id),
      subjectUserId: subject.id,
      teamId: actor.personalTeamId,
      details: { from: 'MEMBER', to: 'ADMIN' },
    });
    return { row, actor, subject };
  };
  const entryCount = async () => Number((await t.sql<{ n: string }>('SELECT count(*) AS n FROM audit_log'))[0].n);

  it('refuses UPDATE, DELETE and TRUNCATE, leaving the entry as written', async () => {
    const { row } = await entry();
    const before = await entryCount();
    await expect(t.sql(`UPDATE audit_log SET action = 'API_KEY_CREATED' WHERE id = $1`, [row.id])).rejects.toThrow(/append-only/);
    await expect(t.sql(`UPDATE audit_log SET details = '{}' WHERE id = $1`, [row.id])).rejects.toThrow(/append-only/);
    await expect(t.sql(`DELETE FROM audit_log WHERE id = $1`, [row.id])).rejects.toThrow(/append-only/);
    await expect(t.sql(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    expect(await entryCount()).toBe(before);
    const [kept] = await t.sql(`SELECT action, details FROM audit_log WHERE id = $1`, [row.id]);
    expect(kept).toEqual({ action: 'MEMBER_ROLE_CHANGED', details: { from: 'MEMBER', to: 'ADMIN' } });
  });

  it('refuses pointing a person link at someone else; only clearing it is allowed', async () => {
    const { row, actor, subject } = await entry();
    await expect(t.sql(`UPDATE audit_log SET subject_user_id = $2 WHERE id = $1`, [row.id, actor.id])).rejects.toThrow(
      /may only be cleared/,
    );
    await t.sql(`UPDATE audit_log SET subject_user_id = NULL WHERE id = $1`, [row.id]);
    const [kept] = await t.sql(`SELECT actor_user_id, subject_user_id FROM audit_log WHERE id = $1`, [row.id]);
    expect(kept).toEqual({ actor_user_id: actor.id, subject_user_id: null });
    expect(subject.id).not.toBe(actor.id);
  });

  it('keeps the entry but drops the links when the people in it are deleted', async () => {
    const { row, actor, subject } = await entry();
    await t.sql('DELETE FROM users WHERE id = ANY($1)', [[actor.id, subject.id]]);
    const [kept] = await t.sql(`SELECT action, actor_kind, actor_user_id, subject_user_id, team_id FROM audit_log WHERE id = $1`, [row.id]);
    expect(kept).toEqual({
      action: 'MEMBER_ROLE_CHANGED',
      actor_kind: 'USER',
      actor_user_id: null,
      subject_user_id: null,
      team_id: actor.personalTeamId,
    });
  });
});
