import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../common/clock';
import { CLOCK, DATA_SOURCE } from '../common/tokens';
import { TeamKeysService } from '../crypto/team-keys.service';
import { queryRows } from '../database/query-rows';
import { PersonalDataRegistry, type DataSubject, type ErasureOutcome } from '../privacy/personal-data/personal-data.registry';
import { BlobDeletions } from './blob-deletions';
import { EncryptedBlobsService } from './encrypted-blobs.service';
import { FileNames } from './file-names';

/**
 * Storage's part of data-subject requests (source `storage`, erase order 20): for every team
 * erased with the person, the uploads' rows and the team's data key are deleted in the erasure's
 * transaction (crypto-shredding: any copy of its blobs, in a backup too, is unreadable from then
 * on), with the folder `teams/<id>/` queued for deletion (BlobDeletions); once it commits the cached
 * key is evicted and every blob under the folder deleted. A store that fails then leaves the folder
 * queued: the retention sweep's `pending-blobs` task deletes it on a later run.
 */
@Injectable()
export class StoragePersonalData implements OnModuleInit {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly registry: PersonalDataRegistry,
    private readonly blobDeletions: BlobDeletions,
    private readonly teamKeys: TeamKeysService,
    private readonly fileNames: FileNames,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      name: 'storage',
      eraseOrder: 20,
      exportFor: async (s) => ({ data: { uploads: await this.uploads(s) } }),
      erase: (s, m) => this.erase(s, m),
    });
  }

  /** The uploads of the teams erased with the person, their file names opened (null: one that cannot be any more). */
  private async uploads(subject: DataSubject) {
    const rows = await queryRows<{ id: string; teamId: string; legacy: string | null; sealed: Buffer | null }>(
      this.dataSource.manager,
      `SELECT id, team_id AS "teamId", status, filename AS legacy, filename_sealed AS sealed, content_type AS "contentType",
              width, height, bytes, created_at AS "createdAt", uploaded_at AS "uploadedAt"
         FROM uploads WHERE team_id = ANY($1::uuid[]) ORDER BY created_at, id`,
      [[...subject.personalTeamIds]],
    );
    const names = await this.fileNames.openByTeam(rows);
    return rows.map(({ legacy: _legacy, sealed: _sealed, ...upload }, i) => ({ ...upload, filename: names[i] }));
  }

  private async erase(subject: DataSubject, manager: EntityManager): Promise<ErasureOutcome> {
    const teamIds = [...subject.personalTeamIds];
    const uploads = await queryRows(manager, 'DELETE FROM uploads WHERE team_id = ANY($1::uuid[]) RETURNING id', [teamIds]);
    let keys = 0;
    for (const teamId of teamIds) keys += await this.teamKeys.destroy(teamId, manager);
    const deleteBlobs = await this.blobDeletions.queueUntilCommitted(
      manager,
      teamIds.map(EncryptedBlobsService.teamFolder),
      this.clock.now(),
    );
    return {
      counts: { uploads: uploads.length, dataKeysDestroyed: keys },
      afterCommit: async () => {
        for (const teamId of teamIds) this.teamKeys.evict(teamId);
        await deleteBlobs();
      },
    };
  }
}
