import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { badInput, conflict, notFound } from '../../common/errors/app-error';
import type { Connection, PageArgs } from '../../common/pagination/connection.types';
import { keysetPage } from '../../common/pagination/keyset-page';
import { DATA_SOURCE } from '../../common/tokens';
import { isUuid } from '../../common/uuid';
import { queryRows } from '../../database/query-rows';
import { EncryptedBlobsService } from '../../storage/encrypted-blobs.service';
import { UploadsService, type ReadyUpload } from '../../storage/uploads.service';
import { UploadEntity } from '../../storage/entities/upload.entity';
import type { TeamAccess } from '../../teams/team-access.service';
import type { JobStatus } from '../dto/job.enums';
import type { RemoveBackgroundInput } from '../dto/job.inputs';
import type { JobOutput } from '../dto/job.output';
import { JobEntity } from '../entities/job.entity';
import { JobErrorCode } from '../job-error-codes';
import { JobEventsService } from '../events/job-events.service';
import { parseJobOptions } from './job-options';
import { JobQueueService } from '../worker/job-queue.service';
import { fromOptionsInput, toJobEvent, toJobOutput } from '../job.mapper';
import { InferenceGateway } from '../worker/inference.gateway';

const IDEMPOTENCY_KEY = /^[\w.:-]{1,128}$/;

/** Creating, reading and canceling jobs. The worker side is JobRunnerService. */
@Injectable()
export class JobsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly uploads: UploadsService,
    private readonly blobs: EncryptedBlobsService,
    private readonly queue: JobQueueService,
    private readonly events: JobEventsService,
    private readonly inference: InferenceGateway,
  ) {}

  /**
   * Validates everything first, then creates the job and its queue message in one
   * transaction. The same idempotency key within a team returns the same job.
   */
  async submit(access: TeamAccess, input: RemoveBackgroundInput): Promise<JobOutput> {
    if (!IDEMPOTENCY_KEY.test(input.idempotencyKey)) {
      throw badInput('idempotencyKey', 'idempotencyKey has 1 to 128 letters, digits or . _ : -');
    }
    const existing = await this.dataSource.getRepository(JobEntity).findOneBy({ teamId: access.teamId, idempotencyKey: input.idempotencyKey });
    if (existing) return toJobOutput(existing);
    if (Boolean(input.uploadId) === Boolean(input.imageBase64)) throw badInput('uploadId', 'Give either uploadId or imageBase64.');
    const options = parseJobOptions(fromOptionsInput(input.options));
    if (options.model) {
      const known = await this.inference.modelIds();
      if (known && !known.includes(options.model)) throw badInput('options.model', `Unknown model "${options.model}". Known: ${known.join(', ')}.`);
    }
    const inline = !input.uploadId;
    const upload: ReadyUpload = input.uploadId
      ? await this.uploads.findReadyOrThrow(access, input.uploadId)
      : await this.uploads.receiveInline(access, input.imageBase64 as string, input.filename ?? 'image');

    const created = await this.dataSource.transaction(async (manager) => {
      const rows = await queryRows<{ id: string }>(
        manager,
        `INSERT INTO jobs (team_id, upload_id, idempotency_key, status, stage, progress, options, input_filename, input_blob_key,
                           input_content_type, input_width, input_height, input_bytes, queued_at)
         VALUES ($1, $2, $3, 'QUEUED', 'QUEUED', 0, $4, $5, $6, $7, $8, $9, $10, now())
         ON CONFLICT ON CONSTRAINT uq_jobs_team_idempotency_key DO NOTHING RETURNING id`,
        [access.teamId, upload.id, input.idempotencyKey, JSON.stringify(options), upload.filename, upload.blobKey, upload.contentType, upload.width, upload.height, upload.bytes],
      );
      if (!rows.length) return null;
      const job = await manager.getRepository(JobEntity).findOneByOrFail({ id: rows[0].id });
      await this.queue.send(manager, { jobId: job.id });
      await this.events.publish(manager, toJobEvent(job));
      return job;
    });
    if (created) return toJobOutput(created);

    // A concurrent request with the same key won: drop what this one stored.
    if (inline) {
      await this.blobs.delete(upload.blobKey);
      await this.dataSource.getRepository(UploadEntity).delete({ id: upload.id });
    }
    return toJobOutput(await this.dataSource.getRepository(JobEntity).findOneByOrFail({ teamId: access.teamId, idempotencyKey: input.idempotencyKey }));
  }

  /** The team id of a job, for the guard; NOT_FOUND for unknown ids. */
  async findTeamIdOrThrow(jobId: string): Promise<string> {
    const job = isUuid(jobId) ? await this.dataSource.getRepository(JobEntity).findOne({ where: { id: jobId }, select: { id: true, teamId: true } }) : null;
    if (!job) throw notFound('Job');
    return job.teamId;
  }

  async findOrThrow(access: TeamAccess, jobId: string): Promise<JobOutput> {
    const job = isUuid(jobId) ? await this.dataSource.getRepository(JobEntity).findOneBy({ id: jobId, teamId: access.teamId }) : null;
    if (!job) throw notFound('Job');
    return toJobOutput(job);
  }

  list(access: TeamAccess, args: PageArgs & { status?: JobStatus }): Promise<Connection<JobOutput>> {
    const query = this.dataSource.getRepository(JobEntity).createQueryBuilder('j').where('j.team_id = :teamId', { teamId: access.teamId });
    if (args.status) query.andWhere('j.status = :status', { status: args.status });
    return keysetPage(query, args, { createdAt: 'j.created_at', id: 'j.id' }, (j) => j, toJobOutput);
  }

  /** Cancels a queued or running job (a running worker is told to stop); CONFLICT once it has finished. */
  async cancel(access: TeamAccess, jobId: string): Promise<JobOutput> {
    const job = await this.dataSource.transaction(async (manager) => {
      const rows = await queryRows<{ id: string }>(
        manager,
        `UPDATE jobs SET status = 'CANCELED', error_code = $3, error_message = 'Canceled by the team.', finished_at = now(), updated_at = now()
         WHERE id = $1 AND team_id = $2 AND status IN ('QUEUED', 'RUNNING') RETURNING id`,
        [jobId, access.teamId, JobErrorCode.CANCELED],
      );
      const found = await manager.getRepository(JobEntity).findOneBy({ id: jobId, teamId: access.teamId });
      if (!found) throw notFound('Job');
      if (!rows.length) throw conflict(`The job has already finished (${found.status}).`);
      await this.events.publish(manager, toJobEvent(found));
      return found;
    });
    return toJobOutput(job);
  }

  async findEntityOrThrow(jobId: string): Promise<JobEntity> {
    const job = isUuid(jobId) ? await this.dataSource.getRepository(JobEntity).findOneBy({ id: jobId }) : null;
    if (!job) throw notFound('Job');
    return job;
  }
}
