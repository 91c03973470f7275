import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../common/tokens';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { SweepRegistry, type SweepContext } from '../privacy/retention/sweep.registry';
import { deleteBlobs, heldIds, inBatches } from '../privacy/retention/sweep-batches';
import { EncryptedBlobsService } from '../storage/encrypted-blobs.service';
import { UploadsRetention } from '../storage/uploads.retention';
import { JobsRepository } from './jobs.repository';

const NO_ID = '00000000-0000-0000-0000-000000000000';
const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

/**
 * The retention sweeper's tasks for images and job records, each by its team's policy (held
 * teams skipped, cut-offs from the run's clock), in batches that commit on their own, blobs
 * deleted only after the rows that named them committed:
 * - `uploads`: originals past uploadsHours (row and blob; the jobs made from them stop naming
 *   the blob) and upload slots that expired unused. An upload a QUEUED or RUNNING job needs waits.
 * - `results`: results past resultsHours (blob deleted, job keeps its record, `result_purged_at` set).
 * - `job-records`: finished jobs past jobRecordsDays (the ledger keeps their charges and refunds).
 */
@Injectable()
export class JobsRetention implements OnModuleInit {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly registry: SweepRegistry,
    private readonly jobs: JobsRepository,
    private readonly uploads: UploadsRetention,
    private readonly blobs: EncryptedBlobsService,
  ) {}

  onModuleInit(): void {
    this.registry.register({ name: 'uploads', run: (c) => this.sweepUploads(c) });
    this.registry.register({ name: 'results', run: (c) => this.sweepResults(c) });
    this.registry.register({ name: 'job-records', run: (c) => this.sweepJobRecords(c) });
  }

  async sweepUploads({ now, held }: SweepContext): Promise<Record<string, number>> {
    const cut = { now, default: this.config.RETENTION_UPLOADS_HOURS, heldTeamIds: heldIds(held.teamIds) };
    let after = NO_ID;
    let uploads = 0;
    await inBatches(async (limit) => {
      const { picked, keys } = await this.dataSource.transaction(async (manager) => {
        const expired = await this.uploads.pickExpired(manager, cut, after, limit);
        const inUse = await this.jobs.activeUploadIds(manager, ids(expired));
        const gone = expired.filter((u) => !inUse.has(u.id));
        await this.jobs.releaseInputs(manager, ids(gone));
        await this.uploads.deleteRows(manager, ids(gone));
        return { picked: expired, keys: gone.map((u) => u.blobKey) };
      });
      await deleteBlobs(keys, (key) => this.blobs.delete(key));
      after = picked.at(-1)?.id ?? after;
      uploads += keys.length;
      return picked.length;
    });
    return { uploads };
  }

  async sweepResults({ now, held }: SweepContext): Promise<Record<string, number>> {
    const cut = {
      now,
      minimum: this.config.RETENTION_RESULTS_HOURS_MIN,
      default: this.config.RETENTION_RESULTS_HOURS,
      heldTeamIds: heldIds(held.teamIds),
    };
    const results = await inBatches(async (limit) => {
      const purged = await this.jobs.purgeExpiredResults(cut, limit);
      await deleteBlobs(
        purged.map((p) => p.key),
        (key) => this.blobs.delete(key),
      );
      return purged.length;
    });
    return { results };
  }

  async sweepJobRecords({ now, held }: SweepContext): Promise<Record<string, number>> {
    const cut = {
      now,
      minimum: this.config.RETENTION_JOB_RECORDS_DAYS_MIN,
      default: this.config.RETENTION_JOB_RECORDS_DAYS,
      heldTeamIds: heldIds(held.teamIds),
    };
    const jobRecords = await inBatches(async (limit) => {
      const deleted = await this.jobs.deleteExpiredRecords(cut, limit);
      await deleteBlobs(
        deleted.flatMap((d) => [d.result, d.input]),
        (key) => this.blobs.delete(key),
      );
      return deleted.length;
    });
    return { jobRecords };
  }
}
