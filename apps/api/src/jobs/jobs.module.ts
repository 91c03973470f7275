import { Module } from '@nestjs/common';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { StorageModule } from '../storage/storage.module';
import { TeamsModule } from '../teams/teams.module';
import { DownloadsController } from './downloads.controller';
import { GrpcInferenceGateway, InferenceGateway } from './inference.gateway';
import { JobEventsService } from './job-events.service';
import { JobQueueService } from './job-queue.service';
import { JobRunnerService } from './job-runner.service';
import { JobSubscriptionsService } from './job-subscriptions.service';
import { JobsResolver } from './jobs.resolver';
import { JobsService } from './jobs.service';

@Module({
  imports: [TeamsModule, StorageModule],
  controllers: [DownloadsController],
  providers: [
    {
      provide: InferenceGateway,
      inject: [API_CONFIG],
      useFactory: (c: ApiConfig) => new GrpcInferenceGateway(c.INFERENCE_URLS, c.INFERENCE_DEADLINE_SECONDS * 1000),
    },
    JobsService,
    JobRunnerService,
    JobEventsService,
    JobQueueService,
    JobSubscriptionsService,
    JobsResolver,
  ],
  exports: [JobQueueService, JobEventsService, JobRunnerService, InferenceGateway],
})
export class JobsModule {}
