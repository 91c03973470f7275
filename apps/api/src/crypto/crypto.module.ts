import { Global, Module } from '@nestjs/common';
import { PersonalDataService } from './personal-data.service';
import { TeamKeysService } from './team-keys.service';
import { UrlSigner } from '../common/url-signer';

@Global()
@Module({ providers: [PersonalDataService, TeamKeysService, UrlSigner], exports: [PersonalDataService, TeamKeysService, UrlSigner] })
export class CryptoModule {}
