import { Module } from '@nestjs/common';
import { UserDirectoryModule } from '../../accounts/user-directory.module';
import { TeamsModule } from '../../teams/teams.module';
import { SubjectDataService } from './subject-data.service';

/** Export and erasure of one person across every domain's registered personal-data source. */
@Module({
  imports: [UserDirectoryModule, TeamsModule],
  providers: [SubjectDataService],
  exports: [SubjectDataService],
})
export class SubjectDataModule {}
