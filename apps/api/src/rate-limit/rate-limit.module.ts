import { Global, Module } from '@nestjs/common';
import { UserDirectoryModule } from '../accounts/user-directory.module';
import { RateLimitPersonalData } from './rate-limit.personal-data';
import { RateLimitRetention } from './rate-limit.retention';
import { RateLimiter } from './rate-limiter.service';
import { RequestLimits } from './request-limits.service';

@Global()
@Module({
  imports: [UserDirectoryModule],
  providers: [RateLimiter, RequestLimits, RateLimitPersonalData, RateLimitRetention],
  exports: [RateLimiter, RequestLimits],
})
export class RateLimitModule {}
