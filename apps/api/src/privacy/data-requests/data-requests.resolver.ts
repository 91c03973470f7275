import { Inject, Injectable } from '@nestjs/common';
import { Arg, Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { Clock } from '../../common/clock';
import type { Connection } from '../../common/pagination/connection.types';
import { PageArgs } from '../../common/pagination/connection.types';
import type { Principal, RequestContext } from '../../common/request-context/principal';
import { requireUser } from '../../common/request-context/require-principal';
import { CLOCK } from '../../common/tokens';
import { toDataRequestOutput } from './data-request.mapper';
import { DataRequestsService } from './data-requests.service';
import { CancelAccountDeletionInput, RequestAccountDeletionInput } from './dto/data-request.inputs';
import { DataRequestConnection, DataRequestOutput } from './dto/data-request.output';
import type { DataRequestEntity } from './entities/data-request.entity';
import { ExportLinks } from './export-links';

/**
 * Presents requests to a viewer (shared by both resolvers): a platform admin ('ADMIN'), or the
 * person they are about, whose principal the export's download link is made for.
 */
@Injectable()
export class DataRequestPresenter {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly links: ExportLinks,
  ) {}

  one(row: DataRequestEntity, viewer: Principal | 'ADMIN'): DataRequestOutput {
    if (viewer === 'ADMIN') return toDataRequestOutput(row, 'ADMIN', this.clock.now());
    return toDataRequestOutput(row, 'SUBJECT', this.clock.now(), (id) => this.links.urlFor(id, viewer));
  }

  page(page: Connection<DataRequestEntity>, viewer: Principal | 'ADMIN'): Connection<DataRequestOutput> {
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
    const me = requireUser(ctx);
    return this.present.one(await this.requests.requestExport(me.userId), me);
  }

  @Mutation(() => DataRequestOutput, {
    description:
      'Deletes your account and everything held about you, after DELETION_GRACE_DAYS (0: at once). CONFLICT reason LAST_OWNER while you are the last owner of a team with other members.',
  })
  async requestAccountDeletion(@Arg('input') input: RequestAccountDeletionInput, @Ctx() ctx: RequestContext): Promise<DataRequestOutput> {
    const me = requireUser(ctx);
    return this.present.one(await this.requests.requestDeletion(me.userId, input.password, ctx.ip), me);
  }

  @Mutation(() => DataRequestOutput, { description: 'Cancels your account deletion during its grace period.' })
  async cancelAccountDeletion(@Arg('input') input: CancelAccountDeletionInput, @Ctx() ctx: RequestContext): Promise<DataRequestOutput> {
    const me = requireUser(ctx);
    return this.present.one(await this.requests.cancelDeletion(me.userId, input.id), me);
  }

  @Query(() => DataRequestConnection, { description: 'Your data-subject requests, newest first.' })
  async myDataRequests(@Args() args: PageArgs, @Ctx() ctx: RequestContext): Promise<Connection<DataRequestOutput>> {
    const me = requireUser(ctx);
    return this.present.page(await this.requests.mine(me.userId, args), me);
  }
}
