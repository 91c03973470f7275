import { Inject, Injectable } from '@nestjs/common';
import { badInput, conflict, notFound } from '../../common/errors/app-error';
import type { Connection, PageArgs } from '../../common/pagination/connection.types';
import { parseIdempotencyKey } from '../../common/text-rules';
import { API_CONFIG, type ApiConfig } from '../../config/api.config';
import { FileNames } from '../../storage/file-names';
import { UploadsService, type ReadyUpload } from '../../storage/uploads.service';
import type { TeamAccess } from '../../teams/team-access.service';
import type { JobStatus } from '../dto/job.enums';
import type { RemoveBackgroundInput } from '../dto/job.inputs';
import type { JobOutput } from '../dto/job.output';
import type { JobEntity } from '../entities/job.entity';
import { fromOptionsInput, storedInputName, toJobOutput } from '../job.mapper';
import { JobsRepository } from '../jobs.repository';
import { jobPriceQuarters, priceTableOf, toPricesOutput, type PriceTable } from '../pricing/job-prices';
import type { PricesOutput } from '../pricing/prices.output';
import { InferenceGateway } from '../worker/inference.gateway';
import { QueueService } from '../../queue/queue.service';
import { parseJobOptions } from './job-options';

/** Creating, reading and canceling jobs (the resolver's side). The worker side is JobRunnerService. */
@Injectable()
export class JobsService {
  private readonly priceTable: PriceTable;

  constructor(
    private readonly jobs: JobsRepository,
    private readonly uploads: UploadsService,
    private readonly queue: QueueService,
    private readonly inference: InferenceGateway,
    private readonly fileNames: FileNames,
    @Inject(API_CONFIG) config: Pick<ApiConfig, 'PRICE_PREVIEW_CREDITS' | 'PRICE_FULL_CREDITS'>,
  ) {
    this.priceTable = priceTableOf(config);
  }

  /**
   * Validates everything first, then creates the job, charges its price and sends its queue
   * message in one transaction. The same idempotency key within a team returns the same job
   * (charged once). Not enough credits: INSUFFICIENT_CREDITS, no job, and an inline image is
   * discarded.
   */
  async submit(access: TeamAccess, input: RemoveBackgroundInput): Promise<JobOutput> {
    parseIdempotencyKey(input.idempotencyKey);
    const existing = await this.jobs.findByIdempotencyKey(access.teamId, input.idempotencyKey);
    if (existing) return this.output(existing);
    if (Boolean(input.uploadId) === Boolean(input.imageBase64)) throw badInput('uploadId', 'Give either uploadId or imageBase64.');
    const options = parseJobOptions(fromOptionsInput(input.options));
    if (options.model) {
      const known = await this.inference.modelIds();
      if (known && !known.includes(options.model))
        throw badInput('options.model', `Unknown model "${options.model}". Known: ${known.join(', ')}.`);
    }
    const upload: ReadyUpload = input.uploadId
      ? await this.uploads.findReadyOrThrow(access, input.uploadId)
      : await this.uploads.receiveInline(access, input.imageBase64 ?? '', input.filename ?? 'image');

    let created;
    try {
      created = await this.jobs.create(
        {
          teamId: access.teamId,
          uploadId: upload.id,
          idempotencyKey: input.idempotencyKey,
          options,
          filenameSealed: upload.filenameSealed,
          blobKey: upload.blobKey,
          contentType: upload.contentType,
          width: upload.width,
          height: upload.height,
          bytes: upload.bytes,
          priceQuarters: jobPriceQuarters(this.priceTable, upload, options),
          actorUserId: access.userId,
        },
        (manager, jobId) => this.queue.send(manager, 'remove-background', { jobId }),
      );
    } catch (error) {
      // No job (INSUFFICIENT_CREDITS, or anything else that rolled the transaction back): its inline image goes too.
      if (!input.uploadId) await this.uploads.discardInline(upload);
      // The upload read above was deleted (the retention sweep) before the job's insert: its foreign
      // key refused the job, and the charge rolled back with it. The answer of an upload already gone.
      if (input.uploadId && isUploadGone(error)) throw notFound('Upload');
      throw error;
    }
    if (created) return this.output(created);

    // A concurrent request with the same key won: this one's inline image is not needed.
    if (!input.uploadId) await this.uploads.discardInline(upload);
    return this.output(await this.existingOrThrow(this.jobs.findByIdempotencyKey(access.teamId, input.idempotencyKey)));
  }

  /** The price table (the same for every team). */
  prices(): PricesOutput {
    return toPricesOutput(this.priceTable);
  }

  /** The team id of a job, for the guard; NOT_FOUND for unknown ids. */
  async findTeamIdOrThrow(jobId: string): Promise<string> {
    return this.existingOrThrow(this.jobs.findTeamId(jobId));
  }

  async findOrThrow(access: TeamAccess, jobId: string): Promise<JobOutput> {
    return this.output(await this.existingOrThrow(this.jobs.findInTeam(access.teamId, jobId)));
  }

  /** A page of the team's jobs; their file names opened together (one key read for the page). */
  async list(access: TeamAccess, args: PageArgs & { status?: JobStatus }): Promise<Connection<JobOutput>> {
    const page = await this.jobs.page(access.teamId, args);
    const names = await this.fileNames.namesToShow(
      access.teamId,
      page.edges.map((e) => storedInputName(e.node)),
    );
    return { ...page, edges: page.edges.map((e, i) => ({ ...e, node: toJobOutput(e.node, names[i]) })) };
  }

  /** Cancels a queued or running job (a running worker is told to stop); CONFLICT once it has finished. */
  async cancel(access: TeamAccess, jobId: string): Promise<JobOutput> {
    const { job, canceled } = await this.jobs.cancel(access.teamId, jobId, access.userId);
    if (!job) throw notFound('Job');
    if (!canceled) throw conflict(`The job has already finished (${job.status}).`);
    return this.output(job);
  }

  /** A job as the API answers it, its file name opened. */
  private async output(job: JobEntity): Promise<JobOutput> {
    return toJobOutput(job, await this.fileNames.nameToShow(job.teamId, storedInputName(job)));
  }

  private async existingOrThrow<T>(found: Promise<T | null>): Promise<T> {
    const value = await found;
    if (value === null) throw notFound('Job');
    return value;
  }
}

/** A foreign-key violation (23503) on the job's `upload_id`: the upload row is gone. */
function isUploadGone(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: string; detail?: string } }).driverError;
  return driverError?.code === '23503' && /\(upload_id\)/.test(driverError.detail ?? '');
}
