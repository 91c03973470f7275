import { Module } from '@nestjs/common';
import { QueueModule } from '../queue/queue.module';
import { ConsentModule } from './consent/consent.module';
import { PoliciesModule } from './policies/policies.module';
import { AuditModule } from './audit/audit.module';
import { DataRequestsModule } from './data-requests/data-requests.module';
import { LegalHoldsModule } from './legal-holds/legal-holds.module';
import { SubjectDataModule } from './personal-data/subject-data.module';
import { RetentionModule } from './retention/retention.module';
import { RetentionSweeperService } from './retention/retention-sweeper.service';
import { UnverifiedAccountsRetention } from './retention/unverified-accounts.retention';

/**
 * The privacy domain: policies and consent, retention, data-subject requests, legal holds and
 * the audit log (see the README's privacy section). Shared pieces live in PrivacyCoreModule.
 */
@Module({
  imports: [
    QueueModule,
    SubjectDataModule,
    AuditModule,
    LegalHoldsModule,
    RetentionModule,
    PoliciesModule,
    ConsentModule,
    DataRequestsModule,
  ],
  providers: [RetentionSweeperService, UnverifiedAccountsRetention],
  exports: [RetentionSweeperService],
})
export class PrivacyModule {}
