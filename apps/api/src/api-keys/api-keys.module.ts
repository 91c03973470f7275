import { Module } from '@nestjs/common';
import { AccessEventsModule } from '../access-events/access-events.module';
import { AccountsModule } from '../accounts/accounts.module';
import { TeamsModule } from '../teams/teams.module';
import { ApiKeysPersonalData } from './api-keys.personal-data';
import { ApiKeysResolver } from './api-keys.resolver';
import { ApiKeysService } from './api-keys.service';

@Module({
  imports: [TeamsModule, AccessEventsModule, AccountsModule],
  providers: [ApiKeysService, ApiKeysResolver, ApiKeysPersonalData],
  exports: [ApiKeysService],
})
export class ApiKeysModule {}
