import { Module } from '@nestjs/common';
import { InvitationsService } from './invitations.service';
import { TeamAccessService } from './team-access.service';
import { TeamsResolver } from './teams.resolver';
import { TeamsService } from './teams.service';

@Module({
  providers: [TeamsService, InvitationsService, TeamAccessService, TeamsResolver],
  exports: [TeamsService, TeamAccessService],
})
export class TeamsModule {}
