import { Module } from '@nestjs/common';
import { UserDirectoryModule } from '../../accounts/user-directory.module';
import { LegalHoldsAdminService } from './legal-holds-admin.service';
import { LegalHoldsResolver } from './legal-holds.resolver';

/** The admin side of legal holds (place, release, list); the reader LegalHoldsService is in privacy-core. */
@Module({
  imports: [UserDirectoryModule],
  providers: [LegalHoldsAdminService, LegalHoldsResolver],
  exports: [LegalHoldsAdminService],
})
export class LegalHoldsModule {}
