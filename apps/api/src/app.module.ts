import { Module, type DynamicModule } from '@nestjs/common';
import { AccountsModule } from './accounts/accounts.module';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AccountsResolver } from './accounts/accounts.resolver';
import { ApiKeysResolver } from './api-keys/api-keys.resolver';
import { AuthModule } from './auth/auth.module';
import { BillingModule } from './billing/billing.module';
import { BillingResolver } from './billing/billing.resolver';
import { CoreModule, type CoreDependencies } from './core/core.module';
import { CreditsModule } from './credits/credits.module';
import { CreditsResolver } from './credits/credits.resolver';
import { CryptoModule } from './crypto/crypto.module';
import { HealthModule } from './health/health.module';
import { MailModule } from './mail/mail.module';
import { PrivacyCoreModule } from './privacy/privacy-core.module';
import { PrivacyModule } from './privacy/privacy.module';
import { ConsentResolver } from './privacy/consent/consent.resolver';
import { PoliciesResolver } from './privacy/policies/policies.resolver';
import { AuditLogResolver } from './privacy/audit/audit-log.resolver';
import { LegalHoldsResolver } from './privacy/legal-holds/legal-holds.resolver';
import { RetentionResolver } from './privacy/retention/retention.resolver';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { TeamsModule } from './teams/teams.module';
import { TeamsResolver } from './teams/teams.resolver';
import { JobsModule } from './jobs/jobs.module';
import { JobsResolver } from './jobs/submit/jobs.resolver';
import { StorageModule } from './storage/storage.module';
import { UploadsResolver } from './storage/uploads.resolver';
import { DataRequestsAdminResolver } from './privacy/data-requests/data-requests-admin.resolver';
import { DataRequestsResolver } from './privacy/data-requests/data-requests.resolver';

/** Every GraphQL resolver class; the schema is built from these (and only these). */
export const RESOLVERS = [
  AccountsResolver,
  TeamsResolver,
  ApiKeysResolver,
  UploadsResolver,
  JobsResolver,
  CreditsResolver,
  BillingResolver,
  PoliciesResolver,
  ConsentResolver,
  AuditLogResolver,
  LegalHoldsResolver,
  RetentionResolver,
  DataRequestsResolver,
  DataRequestsAdminResolver,
] as const;

/** The composition root: wires the domain modules, nothing else. */
@Module({})
export class AppModule {
  static register(deps: CoreDependencies): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.register(deps),
        PrivacyCoreModule,
        MailModule.register(deps.config),
        CryptoModule,
        RateLimitModule,
        HealthModule,
        AccountsModule,
        TeamsModule,
        ApiKeysModule,
        AuthModule,
        StorageModule,
        JobsModule,
        BillingModule,
        CreditsModule,
        PrivacyModule,
      ],
    };
  }
}
