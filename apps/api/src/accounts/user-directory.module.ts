import { Module } from '@nestjs/common';
import { PlatformAdmins } from './platform-admins.service';
import { UserDirectory } from './user-directory.service';

/** The accounts domain's read-only user look-ups for other domains (no dependency on teams). */
@Module({
  providers: [UserDirectory, PlatformAdmins],
  exports: [UserDirectory, PlatformAdmins],
})
export class UserDirectoryModule {}
