import { Module } from '@nestjs/common';
import { UserDirectory } from './user-directory.service';

/** The accounts domain's read-only user look-ups for other domains (no dependency on teams). */
@Module({
  providers: [UserDirectory],
  exports: [UserDirectory],
})
export class UserDirectoryModule {}
