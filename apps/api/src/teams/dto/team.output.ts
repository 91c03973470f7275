import { Field, ObjectType } from 'type-graphql';
import { ID } from '../../graphql/canonical-id.scalar';
import { ConnectionType } from '../../common/pagination/connection.types';
import { TeamRole } from './team-role.enum';

@ObjectType('Team', { description: 'A workspace: members, API keys and (later) credits and jobs belong to it.' })
export class TeamOutput {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field({ description: 'The team created for a user at sign-up.' })
  personal: boolean;

  @Field()
  createdAt: Date;

  @Field(() => TeamRole, { nullable: true, description: 'The caller’s role; null when calling with an API key.' })
  viewerRole: TeamRole | null;
}

@ObjectType('TeamMember')
export class TeamMemberOutput {
  @Field(() => ID)
  userId: string;

  @Field()
  email: string;

  @Field(() => TeamRole)
  role: TeamRole;

  @Field()
  joinedAt: Date;
}

export const TeamConnection = ConnectionType('Team', TeamOutput);
export const TeamMemberConnection = ConnectionType('TeamMember', TeamMemberOutput);
