import { Module } from '@nestjs/common';
import { TeamsModule } from '../../teams/teams.module';
import { RetentionPoliciesService } from './retention-policies.service';
import { RetentionResolver } from './retention.resolver';

/**
 * Team retention policies (read and changed through GraphQL). The domains whose data expires
 * import it to read a team's policy (jobs: a result's expiry); their sweep tasks join the
 * policy table in SQL. The sweeper (and the `unverified-accounts` task, an erasure through
 * SubjectDataService) are PrivacyModule's.
 */
@Module({
  imports: [TeamsModule],
  providers: [RetentionPoliciesService, RetentionResolver],
  exports: [RetentionPoliciesService],
})
export class RetentionModule {}
