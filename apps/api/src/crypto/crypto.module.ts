import { Global, Module } from '@nestjs/common';
import { PersonalDataService } from './personal-data.service';
import { TeamKeysService } from './team-keys.service';
import { UserKeysService } from './user-keys.service';
import { UrlSigner } from '../common/url-signer';

@Global()
@Module({
  providers: [PersonalDataService, TeamKeysService, UserKeysService, UrlSigner],
  exports: [PersonalDataService, TeamKeysService, UserKeysService, UrlSigner],
})
export class CryptoModule {}
