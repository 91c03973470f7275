import { Global, Module } from '@nestjs/common';
import { AuditLogService } from './audit/audit-log.service';
import { LegalHoldsService } from './legal-holds/legal-holds.service';
import { PersonalDataRegistry } from './personal-data/personal-data.registry';
import { SweepRegistry } from './retention/sweep.registry';

/**
 * What every domain uses to take part in privacy: the audit log, the legal-hold reader, and
 * the registries where each domain adds its personal-data source and its sweep tasks.
 * Global, and it imports no domain: domains depend on it, never the other way round.
 */
@Global()
@Module({
  providers: [AuditLogService, LegalHoldsService, PersonalDataRegistry, SweepRegistry],
  exports: [AuditLogService, LegalHoldsService, PersonalDataRegistry, SweepRegistry],
})
export class PrivacyCoreModule {}
