import { Module } from '@nestjs/common';
import { AccessEventsService } from './access-events.service';

/** Publishes and receives access changes (revoked keys, ended sessions, changed memberships). */
@Module({ providers: [AccessEventsService], exports: [AccessEventsService] })
export class AccessEventsModule {}
