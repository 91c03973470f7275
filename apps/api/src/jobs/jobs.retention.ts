import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../common/tokens';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { SweepRegistry, type SweepContext } from '../privacy/retention/sweep.registry';
import { countedBatches, heldIds, inBatches } from '../privacy/retention/sweep-batches';
import { BlobDeletions } from '../storage/blob-deletions';
import { FileNames, JOB_FILE_NAMES, UPLOAD_FILE_NAMES } from '../storage/file-names';
import { UploadsRetention } from '../storage/uploads.retention';
import { JobsRepository } from './jobs.repository';

const NO_ID = '00000000-0000-0000-0000-000000000000';
const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

/**
 * The retention sweeper's tasks for images and job records, each by its team's policy (held
 * teams skipped, as each batch's transaction reads the holds; cut-offs from the run's clock), in batches that commit on their own, blobs
 * deleted only after the rows that named them committed (queued in the same transaction as the
 * rows' change, so none is lost to a crash or a store error in between: BlobDeletions):
 * Each team's value takes effect clamped into the configured bounds (RETENTION_*_MIN, _MAX), as
 * `retentionPolicy` shows it.
 * - `uploads`: originals past uploadsHours (row and blob; the jobs made from them stop naming
 *   the blob) and upload slots that expired unused. An upload a QUEUED or RUNNING job needs waits.
 * - `results`: results past resultsHours (blob deleted, job keeps its record, `result_purged_at` set).
 * - `job-records`: finished jobs past jobRecordsDays (the ledger keeps their charges and refunds).
 * - `pending-blobs`: blobs an earlier run queued and did not get to delete.
 * - `upload-file-names`, `job-file-names`: file names still in plaintext (rows written before names
 *   were sealed, by this version's migration or an older process) sealed under their team's key
 *   (FileNames.sealLegacy); nothing to do once none is left.
 */
@Injectable()
export class JobsRetention implements OnModuleInit {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly registry: SweepRegistry,
    private readonly jobs: JobsRepository,
    private readonly uploads: UploadsRetention,
    private readonly blobDeletions: BlobDeletions,
    private readonly fileNames: FileNames,
  ) {}

  onModuleInit(): void {
    this.registry.register({ name: 'uploads', run: (c) => this.sweepUploads(c) });
    this.registry.register({ name: 'results', run: (c) => this.sweepResults(c) });
    this.registry.register({ name: 'job-records', run: (c) => this.sweepJobRecords(c) });
    this.registry.register({
      name: 'pending-blobs',
      run: (c) => countedBatches(c, 'pendingBlobs', (limit) => this.blobDeletions.retry(c.now, limit)),
    });
    this.registry.register({
      name: 'upload-file-names',
      run: async () => ({ uploadFileNamesSealed: await this.fileNames.sealAllLegacy(UPLOAD_FILE_NAMES) }),
    });
    this.registry.register({
      name: 'job-file-names',
      run: async () => ({ jobFileNamesSealed: await this.fileNames.sealAllLegacy(JOB_FILE_NAMES) }),
    });
  }

  async sweepUploads({ now, heldNow, committed }: SweepContext): Promise<Record<string, number>> {
    let after = NO_ID;
    let uploads = 0;
    await inBatches(async (limit) => {
      const { picked, removed } = await this.blobDeletions.removeThenDelete(
        now,
        async (manager) => {
          const cut = {
            now,
            minimum: this.config.RETENTION_UPLOADS_HOURS_MIN,
            default: this.config.RETENTION_UPLOADS_HOURS,
            maximum: this.config.RETENTION_UPLOADS_HOURS_MAX,
            heldTeamIds: heldIds((await heldNow(manager)).teamIds),
          };
          const expired = await this.uploads.pickExpired(manager, cut, after, limit);
          const inUse = await this.jobs.activeUploadIds(manager, ids(expired));
          const gone = expired.filter((u) => !inUse.has(u.id));
          await this.jobs.releaseInputs(manager, ids(gone));
          await this.uploads.deleteRows(manager, ids(gone));
          return { result: { picked: expired, removed: gone.length }, keys: gone.map((u) => u.blobKey) };
        },
        (batch) => committed({ uploads: batch.removed }),
      );
      after = picked.at(-1)?.id ?? after;
      uploads += removed;
      return picked.length;
    });
    return { uploads };
  }

  async sweepResults({ now, heldNow, committed }: SweepContext): Promise<Record<string, number>> {
    const results = await inBatches((limit) =>
      this.blobDeletions.removeThenDelete(
        now,
        async (manager) => {
          const cut = {
            now,
            minimum: this.config.RETENTION_RESULTS_HOURS_MIN,
            default: this.config.RETENTION_RESULTS_HOURS,
            maximum: this.config.RETENTION_RESULTS_HOURS_MAX,
            heldTeamIds: heldIds((await heldNow(manager)).teamIds),
          };
          const purged = await this.jobs.purgeExpiredResults(cut, limit, manager);
          return { result: purged.length, keys: purged.map((p) => p.key) };
        },
        (n) => committed({ results: n }),
      ),
    );
    return { results };
  }

  async sweepJobRecords({ now, heldNow, committed }: SweepContext): Promise<Record<string, number>> {
    const jobRecords = await inBatches((limit) =>
      this.blobDeletions.removeThenDelete(
        now,
        async (manager) => {
          const cut = {
            now,
            minimum: this.config.RETENTION_JOB_RECORDS_DAYS_MIN,
            default: this.config.RETENTION_JOB_RECORDS_DAYS,
            maximum: this.config.RETENTION_JOB_RECORDS_DAYS_MAX,
            heldTeamIds: heldIds((await heldNow(manager)).teamIds),
          };
          const deleted = await this.jobs.deleteExpiredRecords(cut, limit, manager);
          return { result: deleted.length, keys: deleted.flatMap((d) => [d.result, d.input]) };
        },
        (n) => committed({ jobRecords: n }),
      ),
    );
    return { jobRecords };
  }
}
