import { Global, Module } from '@nestjs/common';
import { RateLimiter } from './rate-limiter.service';
import { RequestLimits } from './request-limits.service';

@Global()
@Module({ providers: [RateLimiter, RequestLimits], exports: [RateLimiter, RequestLimits] })
export class RateLimitModule {}
