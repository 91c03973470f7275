import { Field, InputType } from 'type-graphql';
import { ID } from '../../graphql/canonical-id.scalar';
import { TeamRole } from './team-role.enum';

@InputType()
export class CreateTeamInput {
  @Field({ description: '1–100 characters.' })
  name: string;
}

@InputType()
export class RenameTeamInput {
  @Field(() => ID)
  teamId: string;

  @Field()
  name: string;
}

@InputType()
export class InviteMemberInput {
  @Field(() => ID)
  teamId: string;

  @Field()
  email: string;

  @Field(() => TeamRole, { description: 'ADMIN or MEMBER (ownership moves only by transferOwnership).' })
  role: TeamRole;
}

@InputType()
export class AcceptInvitationInput {
  @Field({ description: 'The `token` query parameter of the invitation link.' })
  token: string;
}

@InputType()
export class RevokeInvitationInput {
  @Field(() => ID)
  invitationId: string;
}

@InputType()
export class ChangeMemberRoleInput {
  @Field(() => ID)
  teamId: string;

  @Field(() => ID)
  userId: string;

  @Field(() => TeamRole)
  role: TeamRole;
}

@InputType()
export class RemoveMemberInput {
  @Field(() => ID)
  teamId: string;

  @Field(() => ID)
  userId: string;
}

@InputType()
export class LeaveTeamInput {
  @Field(() => ID)
  teamId: string;
}

@InputType()
export class TransferOwnershipInput {
  @Field(() => ID)
  teamId: string;

  @Field(() => ID, { description: 'A current member who becomes an owner; the caller becomes an admin.' })
  userId: string;
}
