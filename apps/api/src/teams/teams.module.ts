import { Module } from '@nestjs/common';
import { AccessEventsModule } from '../access-events/access-events.module';
import { UserDirectoryModule } from '../accounts/user-directory.module';
import { InvitationsRetention } from './invitations.retention';
import { InvitationsService } from './invitations.service';
import { MembershipEndedHooks } from './membership-ended.hooks';
import { TeamAccessService } from './team-access.service';
import { TeamsResolver } from './teams.resolver';
import { TeamsService } from './teams.service';
import { TeamsPersonalData } from './teams.personal-data';

@Module({
  imports: [AccessEventsModule, UserDirectoryModule],
  providers: [
    TeamsService,
    InvitationsService,
    TeamAccessService,
    TeamsResolver,
    TeamsPersonalData,
    InvitationsRetention,
    MembershipEndedHooks,
  ],
  exports: [TeamsService, TeamAccessService, TeamsPersonalData, MembershipEndedHooks],
})
export class TeamsModule {}
