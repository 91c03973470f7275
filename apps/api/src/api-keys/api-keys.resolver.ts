import { Injectable } from '@nestjs/common';
import { Arg, Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { ID } from '../graphql/canonical-id.scalar';
import type { RequestContext } from '../common/request-context/principal';
import { requirePrincipal } from '../common/request-context/require-principal';
import { PageArgs } from '../common/pagination/connection.types';
import { TeamAccessService } from '../teams/team-access.service';
import { TeamPermission } from '../teams/team-permissions';
import { ApiKeysService } from './api-keys.service';
import { CreateApiKeyInput, RevokeApiKeyInput } from './dto/api-key.inputs';
import { ApiKeyConnection, ApiKeyOutput, CreatedApiKeyOutput } from './dto/api-key.output';

@Injectable()
@Resolver(() => ApiKeyOutput)
export class ApiKeysResolver {
  constructor(
    private readonly apiKeysService: ApiKeysService,
    private readonly access: TeamAccessService,
  ) {}

  @Query(() => ApiKeyConnection, { description: 'Active API keys of a team (owners and admins).' })
  async apiKeys(@Arg('teamId', () => ID) teamId: string, @Args() page: PageArgs, @Ctx() ctx: RequestContext) {
    return this.apiKeysService.list(await this.access.authorize(ctx.principal, teamId, TeamPermission.MANAGE_API_KEYS), page);
  }

  @Mutation(() => CreatedApiKeyOutput)
  async createApiKey(@Arg('input') input: CreateApiKeyInput, @Ctx() ctx: RequestContext): Promise<CreatedApiKeyOutput> {
    return this.apiKeysService.create(await this.access.authorize(ctx.principal, input.teamId, TeamPermission.MANAGE_API_KEYS), input.name);
  }

  @Mutation(() => ApiKeyOutput)
  async revokeApiKey(@Arg('input') input: RevokeApiKeyInput, @Ctx() ctx: RequestContext): Promise<ApiKeyOutput> {
    requirePrincipal(ctx);
    const teamId = await this.apiKeysService.findTeamIdOrThrow(input.id);
    return this.apiKeysService.revoke(await this.access.authorize(ctx.principal, teamId, TeamPermission.MANAGE_API_KEYS), input.id);
  }
}
