/**
 * SQL: whether the team of memberships row `m` (teams row `t`) is erased with its member `m.user_id`:
 * the personal team made for them (its only owner: teams.service.ts keeps it so), or any team
 * where they are the only member. The one definition TeamsPersonalData.teamsErasedWith and the
 * legal holds (which pause what an erasure would remove) both read.
 */
export const ERASED_WITH_MEMBER_SQL = `((t.is_personal AND m.role = 'OWNER') OR NOT EXISTS (
    SELECT 1 FROM memberships o WHERE o.team_id = m.team_id AND o.user_id <> m.user_id))`;
