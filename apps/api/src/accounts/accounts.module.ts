import { Module } from '@nestjs/common';
import { TeamsModule } from '../teams/teams.module';
import { AccountTokensService } from './account-tokens.service';
import { AccountsResolver } from './accounts.resolver';
import { AccountsService } from './accounts.service';
import { PasswordHasher } from './password-hasher';
import { SessionsService } from './sessions.service';

@Module({
  imports: [TeamsModule],
  providers: [AccountsService, AccountTokensService, SessionsService, PasswordHasher, AccountsResolver],
  exports: [AccountsService, SessionsService],
})
export class AccountsModule {}
