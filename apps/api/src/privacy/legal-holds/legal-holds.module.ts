import { Module } from '@nestjs/common';
import { UserDirectoryModule } from '../../accounts/user-directory.module';
import { LegalHoldsAdminService } from './legal-holds-admin.service';
import { LegalHoldsPersonalData } from './legal-holds.personal-data';
import { LegalHoldsResolver } from './legal-holds.resolver';

/** The admin side of legal holds (place, release, list) and their part of erasures; the reader LegalHoldsService is in privacy-core. */
@Module({
  imports: [UserDirectoryModule],
  providers: [LegalHoldsAdminService, LegalHoldsResolver, LegalHoldsPersonalData],
  exports: [LegalHoldsAdminService],
})
export class LegalHoldsModule {}
