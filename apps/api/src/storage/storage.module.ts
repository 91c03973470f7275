import path from 'node:path';
import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { TeamsModule } from '../teams/teams.module';
import { BlobDeletions } from './blob-deletions';
import { BlobStore } from './blob-store';
import { EncryptedBlobsService } from './encrypted-blobs.service';
import { FileNames } from './file-names';
import { LocalDiskBlobStore } from './local-disk.blob-store';
import { OrphanBlobsSweep } from './orphan-blobs.sweep';
import { S3BlobStore } from './s3.blob-store';
import { StoragePersonalData } from './storage.personal-data';
import { UploadsController } from './uploads.controller';
import { UploadsResolver } from './uploads.resolver';
import { UploadsService } from './uploads.service';
import { UploadsRetention } from './uploads.retention';

export function createBlobStore(config: ApiConfig): BlobStore {
  if (!config.S3_BUCKET) return new LocalDiskBlobStore(path.join(config.dataDir, 'blobs'));
  return new S3BlobStore({
    bucket: config.S3_BUCKET,
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    accessKeyId: config.S3_ACCESS_KEY_ID,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
  });
}

@Module({
  imports: [AuthModule, TeamsModule],
  controllers: [UploadsController],
  providers: [
    { provide: BlobStore, inject: [API_CONFIG], useFactory: createBlobStore },
    EncryptedBlobsService,
    FileNames,
    UploadsService,
    UploadsResolver,
    StoragePersonalData,
    UploadsRetention,
    BlobDeletions,
    OrphanBlobsSweep,
  ],
  exports: [EncryptedBlobsService, FileNames, UploadsService, UploadsRetention, BlobDeletions],
})
export class StorageModule {}
