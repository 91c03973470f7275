import { Module } from '@nestjs/common';
import { UserDirectoryModule } from '../accounts/user-directory.module';
import { TeamsModule } from '../teams/teams.module';
import { CreditAdminService } from './credit-admin.service';
import { CreditEventsService } from './credit-events.service';
import { CreditReportsService } from './credit-reports.service';
import { CreditSubscriptionsService } from './credit-subscriptions.service';
import { CreditsPersonalData } from './credits.personal-data';
import { CreditsResolver } from './credits.resolver';
import { CreditsService } from './credits.service';
import { TrialCreditsService } from './trial-credits.service';

/** The credit ledger; JobsModule and BillingModule import it to charge, refund and credit. */
@Module({
  imports: [TeamsModule, UserDirectoryModule],
  providers: [
    CreditsService,
    CreditEventsService,
    CreditSubscriptionsService,
    CreditReportsService,
    CreditAdminService,
    TrialCreditsService,
    CreditsResolver,
    CreditsPersonalData,
  ],
  exports: [CreditsService, CreditEventsService, CreditAdminService, TrialCreditsService],
})
export class CreditsModule {}
