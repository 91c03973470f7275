import { Injectable } from '@nestjs/common';
import { Args, Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { PlatformAdmins } from '../../accounts/platform-admins.service';
import type { Connection } from '../../common/pagination/connection.types';
import type { RequestContext } from '../../common/request-context/principal';
import { LegalHoldsArgs, PlaceLegalHoldInput, ReleaseLegalHoldInput } from './dto/legal-hold.inputs';
import { LegalHoldConnection, LegalHoldOutput } from './dto/legal-hold.output';
import { LegalHoldsAdminService } from './legal-holds-admin.service';

/** Legal holds, for platform administrators only (`make-admin`). */
@Injectable()
@Resolver(() => LegalHoldOutput)
export class LegalHoldsResolver {
  constructor(
    private readonly holds: LegalHoldsAdminService,
    private readonly admins: PlatformAdmins,
  ) {}

  @Query(() => LegalHoldConnection, { description: 'Legal holds, oldest first (platform admins).' })
  async legalHolds(@Args() args: LegalHoldsArgs, @Ctx() ctx: RequestContext): Promise<Connection<LegalHoldOutput>> {
    await this.admins.assertPlatformAdmin(ctx.principal);
    return this.holds.list(args);
  }

  @Mutation(() => LegalHoldOutput, {
    description: 'Pauses deletion and retention for a user (and their personal team) or a team; audited (platform admins).',
  })
  async placeLegalHold(@Arg('input') input: PlaceLegalHoldInput, @Ctx() ctx: RequestContext): Promise<LegalHoldOutput> {
    return this.holds.place(await this.admins.assertPlatformAdmin(ctx.principal), input);
  }

  @Mutation(() => LegalHoldOutput, { description: 'Ends an active legal hold, with the reason; audited (platform admins).' })
  async releaseLegalHold(@Arg('input') input: ReleaseLegalHoldInput, @Ctx() ctx: RequestContext): Promise<LegalHoldOutput> {
    return this.holds.release(await this.admins.assertPlatformAdmin(ctx.principal), input);
  }
}
