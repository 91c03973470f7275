import { Injectable } from '@nestjs/common';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { linkHolderOf } from '../common/request-context/link-holder';
import type { RequestContext } from '../common/request-context/principal';
import { requirePrincipal } from '../common/request-context/require-principal';
import { TeamAccessService } from '../teams/team-access.service';
import { TeamPermission } from '../teams/team-permissions';
import { CreateUploadInput } from './dto/upload.inputs';
import { UploadOutput } from './dto/upload.output';
import { UploadsService } from './uploads.service';

@Injectable()
@Resolver(() => UploadOutput)
export class UploadsResolver {
  constructor(
    private readonly uploads: UploadsService,
    private readonly access: TeamAccessService,
  ) {}

  @Mutation(() => UploadOutput, { description: 'Declares an upload and returns a signed, single-use PUT URL for its bytes.' })
  async createUpload(@Arg('input') input: CreateUploadInput, @Ctx() ctx: RequestContext): Promise<UploadOutput> {
    const principal = requirePrincipal(ctx);
    const access = await this.access.authorize(principal, input.teamId, TeamPermission.RUN_JOBS);
    return this.uploads.create(access, input, linkHolderOf(principal));
  }
}
