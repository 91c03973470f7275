import { Module } from '@nestjs/common';
import { CreditsService } from './credits.service';

/** The credit ledger; JobsModule and BillingModule import it to charge, refund and credit. */
@Module({
  providers: [CreditsService],
  exports: [CreditsService],
})
export class CreditsModule {}
