import { Module } from '@nestjs/common';
import { QueueService } from './queue.service';

/** The one pg-boss instance of a process; every domain sends through it, start-api works it. */
@Module({ providers: [QueueService], exports: [QueueService] })
export class QueueModule {}
