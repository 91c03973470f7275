import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { TeamsModule } from '../teams/teams.module';
import { AuthService } from './auth.service';
import { LinkHolders } from './link-holders.service';

@Module({
  imports: [AccountsModule, ApiKeysModule, TeamsModule],
  providers: [AuthService, LinkHolders],
  exports: [AuthService, LinkHolders],
})
export class AuthModule {}
