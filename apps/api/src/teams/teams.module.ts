import { Module } from '@nestjs/common';
import { AccessEventsModule } from '../access-events/access-events.module';
import { InvitationsService } from './invitations.service';
import { TeamAccessService } from './team-access.service';
import { TeamsResolver } from './teams.resolver';
import { TeamsService } from './teams.service';

@Module({
  imports: [AccessEventsModule],
  providers: [TeamsService, InvitationsService, TeamAccessService, TeamsResolver],
  exports: [TeamsService, TeamAccessService],
})
export class TeamsModule {}
