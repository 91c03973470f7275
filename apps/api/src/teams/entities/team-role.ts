export const TeamRole = { OWNER: 'OWNER', ADMIN: 'ADMIN', MEMBER: 'MEMBER' } as const;
export type TeamRole = (typeof TeamRole)[keyof typeof TeamRole];
export const TEAM_ROLES: readonly TeamRole[] = Object.values(TeamRole);
