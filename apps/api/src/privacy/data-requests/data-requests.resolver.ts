import { Inject, Injectable } from '@nestjs/common';
import { Arg, Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { Clock } from '../../common/clock';
import type { Connection } from '../../common/pagination/connection.types';
import { PageArgs } from '../../common/pagination/connection.types';
import type { RequestContext } from '../../common/request-context/principal';
import { requireUser } from '../../common/request-context/require-principal';
import { CLOCK } from '../../common/tokens';
import { toDataRequestOutput, type DataRequestViewer } from './data-request.mapper';
import { DataRequestsService } from './data-requests.service';
import { CancelAccountDeletionInput, RequestAccountDeletionInput } from './dto/data-request.inputs';
import { DataRequestConnection, DataRequestOutput } from './dto/data-request.output';
import type { DataRequestEntity } from './entities/data-request.entity';
import { ExportLinks } from './export-links';

/** Presents requests to a viewer (shared by both resolvers). */
@Injectable()
export class DataRequestPresenter {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly links: ExportLinks,
  ) {}

  one(row: DataRequestEntity, viewer: DataRequestViewer): DataRequestOutput {
    return toDataRequestOutput(row, viewer, this.clock.now(), (id) => this.links.urlFor(id));
  }

  page(page: Connection<DataRequestEntity>, viewer: DataRequestViewer): Connection<DataRequestOutput> {
    return { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: this.one(e.node, viewer) })) };
  }
}

/** A signed-in person's own data-subject requests (API keys may not). */
@Injectable()
@Resolver()
export class DataRequestsResolver {
  constructor(
    private readonly requests: DataRequestsService,
    private readonly present: DataRequestPresenter,
  ) {}

  @Mutation(() => DataRequestOutput, {
    description: 'Asks for an archive of everything held about you; you are mailed when it is ready (signed-in users).',
  })
  async requestDataExport(@Ctx() ctx: RequestContext): Promise<DataRequestOutput> {
    return this.present.one(await this.requests.requestExport(requireUser(ctx).userId), 'SUBJECT');
  }

  @Mutation(() => DataRequestOutput, {
    description:
      'Deletes your account and everything held about you, after DELETION_GRACE_DAYS (0: at once). CONFLICT reason LAST_OWNER while you are the last owner of a team with other members.',
  })
  async requestAccountDeletion(@Arg('input') input: RequestAccountDeletionInput, @Ctx() ctx: RequestContext): Promise<DataRequestOutput> {
    return this.present.one(await this.requests.requestDeletion(requireUser(ctx).userId, input.password, ctx.ip), 'SUBJECT');
  }

  @Mutation(() => DataRequestOutput, { description: 'Cancels your account deletion during its grace period.' })
  async cancelAccountDeletion(@Arg('input') input: CancelAccountDeletionInput, @Ctx() ctx: RequestContext): Promise<DataRequestOutput> {
    return this.present.one(await this.requests.cancelDeletion(requireUser(ctx).userId, input.id), 'SUBJECT');
  }

  @Query(() => DataRequestConnection, { description: 'Your data-subject requests, newest first.' })
  async myDataRequests(@Args() args: PageArgs, @Ctx() ctx: RequestContext): Promise<Connection<DataRequestOutput>> {
    return this.present.page(await this.requests.mine(requireUser(ctx).userId, args), 'SUBJECT');
  }
}
