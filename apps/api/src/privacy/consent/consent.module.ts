import { Module } from '@nestjs/common';
import { PoliciesModule } from '../policies/policies.module';
import { ConsentResolver } from './consent.resolver';
import { ConsentService } from './consent.service';

/** Cookie consent of users and anonymous visitors (append-only history). Accounts uses it to link a visitor's choices at sign-in. */
@Module({
  imports: [PoliciesModule],
  providers: [ConsentService, ConsentResolver],
  exports: [ConsentService],
})
export class ConsentModule {}
