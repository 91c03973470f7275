import { Injectable } from '@nestjs/common';
import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { ID } from '../../graphql/canonical-id.scalar';
import type { RequestContext } from '../../common/request-context/principal';
import { asMember, TeamAccessService } from '../../teams/team-access.service';
import { TeamPermission } from '../../teams/team-permissions';
import { AuditActors } from '../audit/audit-log.service';
import { RetentionPolicyOutput } from './dto/retention-policy.output';
import { UpdateRetentionPolicyInput } from './dto/update-retention-policy.input';
import { RetentionPoliciesService, type RetentionPolicy } from './retention-policies.service';

@Injectable()
@Resolver()
export class RetentionResolver {
  constructor(
    private readonly policies: RetentionPoliciesService,
    private readonly access: TeamAccessService,
  ) {}

  @Query(() => RetentionPolicyOutput, { description: 'How long the team’s uploads, results and job records are kept (members and keys).' })
  async retentionPolicy(@Arg('teamId', () => ID) teamId: string, @Ctx() ctx: RequestContext): Promise<RetentionPolicyOutput> {
    const access = await this.access.authorize(ctx.principal, teamId, TeamPermission.VIEW_TEAM);
    return this.toOutput(await this.policies.policyOf(access.teamId));
  }

  @Mutation(() => RetentionPolicyOutput, { description: 'Sets the team’s retention policy (owners and admins; audited).' })
  async updateRetentionPolicy(@Arg('input') input: UpdateRetentionPolicyInput, @Ctx() ctx: RequestContext): Promise<RetentionPolicyOutput> {
    const member = asMember(await this.access.authorize(ctx.principal, input.teamId, TeamPermission.MANAGE_RETENTION));
    const values = { uploadsHours: input.uploadsHours, resultsHours: input.resultsHours, jobRecordsDays: input.jobRecordsDays };
    return this.toOutput(await this.policies.update(member.teamId, values, AuditActors.user(member.userId)));
  }

  private toOutput(policy: RetentionPolicy): RetentionPolicyOutput {
    return { ...policy, defaults: this.policies.defaults(), minimums: this.policies.minimums(), maximums: this.policies.maximums() };
  }
}
