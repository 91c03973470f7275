import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AuthService } from './auth.service';

@Module({ imports: [AccountsModule, ApiKeysModule], providers: [AuthService], exports: [AuthService] })
export class AuthModule {}
