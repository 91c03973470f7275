import { Injectable } from '@nestjs/common';
import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { PlatformAdmins } from '../../accounts/platform-admins.service';
import type { Connection } from '../../common/pagination/connection.types';
import type { RequestContext } from '../../common/request-context/principal';
import { TeamAccessService } from '../../teams/team-access.service';
import { TeamPermission } from '../../teams/team-permissions';
import { AuditLogQueryService } from './audit-log-query.service';
import { AuditEntryConnection, type AuditEntryOutput } from './dto/audit-entry.output';
import { AuditLogArgs, PlatformAuditLogArgs } from './dto/audit-log.inputs';

@Injectable()
@Resolver()
export class AuditLogResolver {
  constructor(
    private readonly entries: AuditLogQueryService,
    private readonly access: TeamAccessService,
    private readonly admins: PlatformAdmins,
  ) {}

  @Query(() => AuditEntryConnection, { description: 'The team’s audit log, newest first (owners and admins).' })
  async auditLog(@Args() args: AuditLogArgs, @Ctx() ctx: RequestContext): Promise<Connection<AuditEntryOutput>> {
    const access = await this.access.authorize(ctx.principal, args.teamId, TeamPermission.VIEW_AUDIT_LOG);
    return this.entries.forTeam(access.teamId, args);
  }

  @Query(() => AuditEntryConnection, { description: 'The whole audit log, newest first, filtered (platform admins).' })
  async platformAuditLog(@Args() args: PlatformAuditLogArgs, @Ctx() ctx: RequestContext): Promise<Connection<AuditEntryOutput>> {
    await this.admins.assertPlatformAdmin(ctx.principal);
    return this.entries.forPlatform(args, args.filter ?? undefined);
  }
}
