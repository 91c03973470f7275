import { Module } from '@nestjs/common';
import { UserDirectoryModule } from '../../accounts/user-directory.module';
import { TeamsModule } from '../../teams/teams.module';
import { AuditLogQueryService } from './audit-log-query.service';
import { AuditLogResolver } from './audit-log.resolver';
import { AuditPersonalDataSource } from './audit-personal-data.source';

/** Reading the audit log (team and platform) and its part of data-subject requests; writing is AuditLogService's (privacy-core). */
@Module({
  imports: [TeamsModule, UserDirectoryModule],
  providers: [AuditLogQueryService, AuditLogResolver, AuditPersonalDataSource],
  exports: [AuditLogQueryService],
})
export class AuditModule {}
