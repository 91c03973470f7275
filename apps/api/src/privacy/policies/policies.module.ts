import { Module } from '@nestjs/common';
import { API_CONFIG, type ApiConfig } from '../../config/api.config';
import { PoliciesResolver } from './policies.resolver';
import { PoliciesService } from './policies.service';
import { BUNDLED_POLICY_DOCUMENTS, PolicyDocuments } from './policy-documents';
import { PolicyAcceptancesService } from './policy-acceptances.service';

/**
 * The privacy and cookie policies (versioned Markdown under `documents/`, or POLICY_DOCUMENTS_DIR)
 * and who accepted which version of the privacy policy. Imports no other domain: accounts
 * (sign-up, `me`) and consent depend on it.
 */
@Module({
  providers: [
    {
      provide: PolicyDocuments,
      inject: [API_CONFIG],
      useFactory: (config: ApiConfig) => PolicyDocuments.load(config.POLICY_DOCUMENTS_DIR ?? BUNDLED_POLICY_DOCUMENTS),
    },
    PoliciesService,
    PolicyAcceptancesService,
    PoliciesResolver,
  ],
  exports: [PoliciesService, PolicyAcceptancesService],
})
export class PoliciesModule {}
