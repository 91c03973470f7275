import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE } from '../common/tokens';
import { queryRows } from '../database/query-rows';
import {
  PersonalDataRegistry,
  type DataSubject,
  type ErasureOutcome,
  type ExportFile,
} from '../privacy/personal-data/personal-data.registry';
import { BlobNotFoundError } from '../storage/blob-store';
import { EncryptedBlobsService } from '../storage/encrypted-blobs.service';
import { FileNames } from '../storage/file-names';

interface JobRow {
  id: string;
  teamId: string;
  inputBlobKey: string;
  inputContentType: string;
  resultBlobKey: string | null;
  resultContentType: string | null;
  legacyInputFilename: string | null;
  inputFilenameSealed: Buffer | null;
  [column: string]: unknown;
}

const EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };
const extension = (contentType: string | null) => EXTENSIONS[contentType ?? ''] ?? 'bin';

/**
 * Jobs' part of data-subject requests (source `jobs`, erase order 20): the jobs of the teams
 * erased with the person (their personal team, teams where they are alone) are exported with
 * the images that still exist, decrypted, as `images/<jobId>/input.<ext>` and `result.<ext>`, and
 * their file names opened (`inputFilename`; null for one that cannot be opened any more, FileNames);
 * they are deleted on erasure (their blobs go with the team's, see `storage`).
 */
@Injectable()
export class JobsPersonalData implements OnModuleInit {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly registry: PersonalDataRegistry,
    private readonly blobs: EncryptedBlobsService,
    private readonly fileNames: FileNames,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      name: 'jobs',
      eraseOrder: 20,
      exportFor: (s) => this.export(s),
      erase: (s, m) => this.erase(s, m),
    });
  }

  private async export(subject: DataSubject) {
    const rows = await queryRows<JobRow>(
      this.dataSource.manager,
      `SELECT id, team_id AS "teamId", status, options, input_filename AS "legacyInputFilename", input_filename_sealed AS "inputFilenameSealed",
              input_content_type AS "inputContentType", input_width AS "inputWidth", input_height AS "inputHeight",
              input_bytes AS "inputBytes", input_blob_key AS "inputBlobKey", result_blob_key AS "resultBlobKey",
              result_content_type AS "resultContentType", result_width AS "resultWidth", result_height AS "resultHeight",
              result_bytes AS "resultBytes", error_code AS "errorCode", credits_charged_quarters / 4.0 AS "creditsCharged",
              credits_refunded_quarters / 4.0 AS "creditsRefunded", created_at AS "createdAt", finished_at AS "finishedAt"
         FROM jobs WHERE team_id = ANY($1::uuid[]) ORDER BY created_at, id`,
      [[...subject.personalTeamIds]],
    );
    const files: ExportFile[] = [];
    const jobs = [];
    const names = await this.fileNames.openByTeam(
      rows.map((r) => ({ teamId: r.teamId, legacy: r.legacyInputFilename, sealed: r.inputFilenameSealed })),
    );
    for (const [i, { inputBlobKey, resultBlobKey, legacyInputFilename: _legacy, inputFilenameSealed: _sealed, ...job }] of rows.entries()) {
      files.push(this.file(`images/${job.id}/input.${extension(job.inputContentType)}`, job.teamId, inputBlobKey));
      if (resultBlobKey) files.push(this.file(`images/${job.id}/result.${extension(job.resultContentType)}`, job.teamId, resultBlobKey));
      jobs.push({
        ...job,
        inputFilename: names[i],
        creditsCharged: Number(job.creditsCharged),
        creditsRefunded: Number(job.creditsRefunded),
      });
    }
    return { data: jobs, files };
  }

  /** Read when the archive is written; null once retention (or anything else) removed the blob. */
  private file(path: string, teamId: string, blobKey: string): ExportFile {
    return {
      path,
      read: () =>
        this.blobs.read(teamId, blobKey).catch((error: unknown) => {
          if (error instanceof BlobNotFoundError) return null;
          throw error;
        }),
    };
  }

  private async erase(subject: DataSubject, manager: EntityManager): Promise<ErasureOutcome> {
    const jobs = await queryRows(manager, 'DELETE FROM jobs WHERE team_id = ANY($1::uuid[]) RETURNING id', [[...subject.personalTeamIds]]);
    return { counts: { deleted: jobs.length } };
  }
}
