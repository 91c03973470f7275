import { registerEnumType } from 'type-graphql';
import { TeamRole } from '../entities/team-role';

registerEnumType(TeamRole, { name: 'TeamRole', description: 'A member’s role in a team (see the permission matrix).' });

export { TeamRole };
