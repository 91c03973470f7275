import { Module } from '@nestjs/common';
import { AccessEventsModule } from '../access-events/access-events.module';
import { CreditsModule } from '../credits/credits.module';
import { ConsentModule } from '../privacy/consent/consent.module';
import { PoliciesModule } from '../privacy/policies/policies.module';
import { TeamsModule } from '../teams/teams.module';
import { AccountTokensService } from './account-tokens.service';
import { AccountsPersonalData } from './accounts.personal-data';
import { AccountsResolver } from './accounts.resolver';
import { AccountsRetention } from './accounts.retention';
import { AccountsService } from './accounts.service';
import { PasswordHasher } from './password-hasher';
import { PasswordResetHooks } from './password-reset.hooks';
import { SessionsService } from './sessions.service';

@Module({
  imports: [TeamsModule, AccessEventsModule, CreditsModule, PoliciesModule, ConsentModule],
  providers: [
    AccountsService,
    AccountTokensService,
    SessionsService,
    PasswordHasher,
    PasswordResetHooks,
    AccountsResolver,
    AccountsPersonalData,
    AccountsRetention,
  ],
  exports: [AccountsService, SessionsService, PasswordResetHooks],
})
export class AccountsModule {}
