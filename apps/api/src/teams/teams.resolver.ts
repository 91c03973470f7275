import { Injectable } from '@nestjs/common';
import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ID } from '../graphql/canonical-id.scalar';
import type { RequestContext } from '../common/request-context/principal';
import { requirePrincipal, requireUser } from '../common/request-context/require-principal';
import { PageArgs } from '../common/pagination/connection.types';
import { InvitationConnection, InvitationOutput } from './dto/invitation.output';
import {
  AcceptInvitationInput,
  ChangeMemberRoleInput,
  CreateTeamInput,
  InviteMemberInput,
  LeaveTeamInput,
  RemoveMemberInput,
  RenameTeamInput,
  RevokeInvitationInput,
  TransferOwnershipInput,
} from './dto/team.inputs';
import { TeamConnection, TeamMemberConnection, TeamMemberOutput, TeamOutput } from './dto/team.output';
import { InvitationsService } from './invitations.service';
import { TeamAccessService } from './team-access.service';
import { TeamPermission } from './team-permissions';
import { TeamsService } from './teams.service';

@Injectable()
@Resolver(() => TeamOutput)
export class TeamsResolver {
  constructor(
    private readonly teamsService: TeamsService,
    private readonly invitationsService: InvitationsService,
    private readonly access: TeamAccessService,
  ) {}

  @Query(() => TeamOutput)
  async team(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<TeamOutput> {
    return this.teamsService.getTeam(await this.access.authorize(ctx.principal, id, TeamPermission.VIEW_TEAM));
  }

  @Query(() => TeamConnection, { description: 'Teams the caller belongs to (an API key sees its own team).' })
  teams(@Args() page: PageArgs, @Ctx() ctx: RequestContext) {
    return this.teamsService.listTeams(requirePrincipal(ctx), page);
  }

  @Query(() => InvitationConnection, { description: 'Pending invitations of a team (owners and admins).' })
  async invitations(@Arg('teamId', () => ID) teamId: string, @Args() page: PageArgs, @Ctx() ctx: RequestContext) {
    return this.invitationsService.listPending(await this.access.authorize(ctx.principal, teamId, TeamPermission.INVITE_MEMBERS), page);
  }

  @FieldResolver(() => TeamMemberConnection)
  async members(@Root() team: TeamOutput, @Args() page: PageArgs, @Ctx() ctx: RequestContext) {
    await this.access.authorize(ctx.principal, team.id, TeamPermission.VIEW_MEMBERS);
    return this.teamsService.listMembers(team.id, page);
  }

  @Mutation(() => TeamOutput)
  createTeam(@Arg('input') input: CreateTeamInput, @Ctx() ctx: RequestContext): Promise<TeamOutput> {
    return this.teamsService.createTeam(requireUser(ctx).userId, input.name);
  }

  @Mutation(() => TeamOutput)
  async renameTeam(@Arg('input') input: RenameTeamInput, @Ctx() ctx: RequestContext): Promise<TeamOutput> {
    return this.teamsService.renameTeam(await this.access.authorize(ctx.principal, input.teamId, TeamPermission.RENAME_TEAM), input.name);
  }

  @Mutation(() => InvitationOutput, {
    description: 'Mails an invitation link; a new invitation replaces a pending one for the same address.',
  })
  async inviteMember(@Arg('input') input: InviteMemberInput, @Ctx() ctx: RequestContext): Promise<InvitationOutput> {
    const access = await this.access.authorize(ctx.principal, input.teamId, TeamPermission.INVITE_MEMBERS);
    return this.invitationsService.invite(access, input.email, input.role);
  }

  @Mutation(() => InvitationOutput)
  async revokeInvitation(@Arg('input') input: RevokeInvitationInput, @Ctx() ctx: RequestContext): Promise<InvitationOutput> {
    requirePrincipal(ctx);
    const teamId = await this.invitationsService.findTeamIdOrThrow(input.invitationId);
    const access = await this.access.authorize(ctx.principal, teamId, TeamPermission.INVITE_MEMBERS);
    return this.invitationsService.revoke(access, input.invitationId);
  }

  @Mutation(() => TeamOutput, { description: 'Joins the team; the signed-in user’s email must be the invited one.' })
  acceptInvitation(@Arg('input') input: AcceptInvitationInput, @Ctx() ctx: RequestContext): Promise<TeamOutput> {
    return this.invitationsService.accept(requireUser(ctx).userId, input.token);
  }

  @Mutation(() => TeamMemberOutput)
  async changeMemberRole(@Arg('input') input: ChangeMemberRoleInput, @Ctx() ctx: RequestContext): Promise<TeamMemberOutput> {
    const access = await this.access.authorize(ctx.principal, input.teamId, TeamPermission.MANAGE_MEMBERS);
    return this.teamsService.changeMemberRole(access, input.userId, input.role);
  }

  @Mutation(() => TeamOutput)
  async removeMember(@Arg('input') input: RemoveMemberInput, @Ctx() ctx: RequestContext): Promise<TeamOutput> {
    const access = await this.access.authorize(ctx.principal, input.teamId, TeamPermission.MANAGE_MEMBERS);
    return this.teamsService.removeMember(access, input.userId);
  }

  @Mutation(() => Boolean, { description: 'Leaves a team; the last owner must transfer ownership first.' })
  async leaveTeam(@Arg('input') input: LeaveTeamInput, @Ctx() ctx: RequestContext): Promise<boolean> {
    requireUser(ctx);
    return this.teamsService.leaveTeam(await this.access.authorize(ctx.principal, input.teamId, TeamPermission.VIEW_TEAM));
  }

  @Mutation(() => TeamOutput)
  async transferOwnership(@Arg('input') input: TransferOwnershipInput, @Ctx() ctx: RequestContext): Promise<TeamOutput> {
    const access = await this.access.authorize(ctx.principal, input.teamId, TeamPermission.TRANSFER_OWNERSHIP);
    return this.teamsService.transferOwnership(access, input.userId);
  }
}
