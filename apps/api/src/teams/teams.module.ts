import { Module } from '@nestjs/common';
import { AccessEventsModule } from '../access-events/access-events.module';
import { UserDirectoryModule } from '../accounts/user-directory.module';
import { InvitationsService } from './invitations.service';
import { TeamAccessService } from './team-access.service';
import { TeamsResolver } from './teams.resolver';
import { TeamsService } from './teams.service';

@Module({
  imports: [AccessEventsModule, UserDirectoryModule],
  providers: [TeamsService, InvitationsService, TeamAccessService, TeamsResolver],
  exports: [TeamsService, TeamAccessService],
})
export class TeamsModule {}
