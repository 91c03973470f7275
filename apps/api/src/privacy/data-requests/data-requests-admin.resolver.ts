import { Injectable } from '@nestjs/common';
import { Arg, Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { ID } from '../../graphql/canonical-id.scalar';
import { PlatformAdmins } from '../../accounts/platform-admins.service';
import type { Connection } from '../../common/pagination/connection.types';
import type { RequestContext } from '../../common/request-context/principal';
import { DataRequestsService } from './data-requests.service';
import { DataRequestPresenter } from './data-requests.resolver';
import { ApproveDataRequestInput, CreateDataRequestInput, DataRequestsArgs, RejectDataRequestInput } from './dto/data-request.inputs';
import { DataRequestConnection, DataRequestOutput } from './dto/data-request.output';

/** The platform admins' console for data-subject requests. */
@Injectable()
@Resolver()
export class DataRequestsAdminResolver {
  constructor(
    private readonly requests: DataRequestsService,
    private readonly admins: PlatformAdmins,
    private readonly present: DataRequestPresenter,
  ) {}

  @Query(() => DataRequestConnection, {
    description: 'Every data-subject request, newest first, optionally in one status (platform admins).',
  })
  async dataRequests(@Args() args: DataRequestsArgs, @Ctx() ctx: RequestContext): Promise<Connection<DataRequestOutput>> {
    await this.admins.assertPlatformAdmin(ctx.principal);
    return this.present.page(await this.requests.list(args.status, args), 'ADMIN');
  }

  @Query(() => DataRequestOutput, { description: 'One data-subject request (platform admins).' })
  async dataRequest(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<DataRequestOutput> {
    await this.admins.assertPlatformAdmin(ctx.principal);
    return this.present.one(await this.requests.get(id), 'ADMIN');
  }

  @Mutation(() => DataRequestOutput, {
    description:
      'Opens a request for someone who asked by mail: PENDING until approved; NOT_FOUND when no account has that email (platform admins).',
  })
  async createDataRequest(@Arg('input') input: CreateDataRequestInput, @Ctx() ctx: RequestContext): Promise<DataRequestOutput> {
    const adminId = await this.admins.assertPlatformAdmin(ctx.principal);
    return this.present.one(await this.requests.create(adminId, input), 'ADMIN');
  }

  @Mutation(() => DataRequestOutput, {
    description:
      'Approves a PENDING request, or a FAILED one again (its due date stays), and queues its execution; CONFLICT otherwise (platform admins).',
  })
  async approveDataRequest(@Arg('input') input: ApproveDataRequestInput, @Ctx() ctx: RequestContext): Promise<DataRequestOutput> {
    const adminId = await this.admins.assertPlatformAdmin(ctx.principal);
    return this.present.one(await this.requests.approve(adminId, input.id), 'ADMIN');
  }

  @Mutation(() => DataRequestOutput, {
    description:
      'Rejects a PENDING request, or closes a FAILED one that will not run again, with a reason; CONFLICT otherwise (platform admins).',
  })
  async rejectDataRequest(@Arg('input') input: RejectDataRequestInput, @Ctx() ctx: RequestContext): Promise<DataRequestOutput> {
    const adminId = await this.admins.assertPlatformAdmin(ctx.principal);
    return this.present.one(await this.requests.reject(adminId, input.id, input.reason), 'ADMIN');
  }
}
