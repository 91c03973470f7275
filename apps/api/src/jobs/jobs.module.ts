import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { CreditsModule } from '../credits/credits.module';
import { QueueModule } from '../queue/queue.module';
import { RetentionModule } from '../privacy/retention/retention.module';
import { StorageModule } from '../storage/storage.module';
import { TeamsModule } from '../teams/teams.module';
import { DownloadsController } from './downloads/downloads.controller';
import { ResultLinks } from './downloads/result-links';
import { GrpcInferenceGateway, InferenceGateway } from './worker/inference.gateway';
import { JobEventsService } from './events/job-events.service';
import { JobRunnerService } from './worker/job-runner.service';
import { JobSubscriptionsService } from './events/job-subscriptions.service';
import { JobsPersonalData } from './jobs.personal-data';
import { JobsRepository } from './jobs.repository';
import { JobsRetention } from './jobs.retention';
import { JobsResolver } from './submit/jobs.resolver';
import { JobsService } from './submit/jobs.service';

@Module({
  imports: [AuthModule, TeamsModule, StorageModule, CreditsModule, QueueModule, RetentionModule],
  controllers: [DownloadsController],
  providers: [
    {
      provide: InferenceGateway,
      inject: [API_CONFIG],
      useFactory: (c: ApiConfig) => new GrpcInferenceGateway(c.INFERENCE_URLS, c.INFERENCE_DEADLINE_SECONDS * 1000),
    },
    JobsRepository,
    JobsService,
    JobRunnerService,
    JobEventsService,
    JobSubscriptionsService,
    JobsResolver,
    ResultLinks,
    JobsPersonalData,
    JobsRetention,
  ],
  exports: [JobEventsService, JobRunnerService, InferenceGateway],
})
export class JobsModule {}
