import { Module, type OnModuleInit } from '@nestjs/common';
import { PasswordHasher } from '../../accounts/password-hasher';
import { UserDirectoryModule } from '../../accounts/user-directory.module';
import { AuthModule } from '../../auth/auth.module';
import { QueueModule } from '../../queue/queue.module';
import { StorageModule } from '../../storage/storage.module';
import { TeamsModule } from '../../teams/teams.module';
import { PersonalDataRegistry } from '../personal-data/personal-data.registry';
import { SubjectDataModule } from '../personal-data/subject-data.module';
import { SweepRegistry } from '../retention/sweep.registry';
import { DataRequestExecutor } from './data-request-executor.service';
import { DataRequestStore } from './data-request.store';
import { DataRequestsAdminResolver } from './data-requests-admin.resolver';
import { DataRequestsPersonalData } from './data-requests.personal-data';
import { DataRequestPresenter, DataRequestsResolver } from './data-requests.resolver';
import { DataRequestsService } from './data-requests.service';
import { DataRequestsSweep } from './data-requests.sweep';
import { ExportArchiveService } from './export-archive.service';
import { ExportDownloadsController } from './export-downloads.controller';
import { ExportLinks } from './export-links';

/** Data-subject requests: self-service and admin lifecycle, the worker, export archives and their downloads. */
@Module({
  imports: [AuthModule, QueueModule, StorageModule, SubjectDataModule, TeamsModule, UserDirectoryModule],
  controllers: [ExportDownloadsController],
  providers: [
    DataRequestStore,
    DataRequestsService,
    DataRequestExecutor,
    DataRequestsSweep,
    DataRequestsPersonalData,
    ExportArchiveService,
    ExportLinks,
    PasswordHasher,
    DataRequestPresenter,
    DataRequestsResolver,
    DataRequestsAdminResolver,
  ],
  exports: [DataRequestsService, DataRequestExecutor],
})
export class DataRequestsModule implements OnModuleInit {
  constructor(
    private readonly personalData: PersonalDataRegistry,
    private readonly sweeps: SweepRegistry,
    private readonly source: DataRequestsPersonalData,
    private readonly sweep: DataRequestsSweep,
  ) {}

  onModuleInit(): void {
    this.personalData.register(this.source);
    this.sweeps.register(this.sweep);
  }
}
