import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import sharp from 'sharp';
import { DecryptionError } from '@cutout/crypto';
import { JobStatus } from '@cutout/job-vocabulary';
import { AppError, notFound } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-codes';
import { sendHttpError } from '../../common/errors/http-error';
import type { Logger } from '../../common/logger';
import { LOGGER } from '../../common/tokens';
import { EncryptedBlobsService } from '../../storage/encrypted-blobs.service';
import { FileNames } from '../../storage/file-names';
import type { JobEntity } from '../entities/job.entity';
import { storedInputName } from '../job.mapper';
import { JobsRepository } from '../jobs.repository';
import { LinkHolders } from '../../auth/link-holders.service';
import type { SignedLinkQuery } from '../../common/url-signer';
import { ResultLinks, type JobFile } from './result-links';

/**
 * GET /downloads/:jobId?expires=…&by=…&signature=… — the result, decrypted as a stream. Headers go
 * out only after the first segment verified (a blob tampered with there answers a clean 500);
 * a later bad segment aborts the response before any byte of that segment is sent.
 * GET /downloads/:jobId/input — the original, while the retention policy keeps it (410 INPUT_EXPIRED after).
 * GET /downloads/:jobId/thumbnail — the result scaled into THUMBNAIL_PX × THUMBNAIL_PX as WebP, made on request
 * (never stored: nothing more for retention and erasure to find), cached by the browser while the link lives.
 * Each link is signed for its own path: a link to one file of one job opens nothing else. It
 * opens only while the credential it was made for (`by`) is live and a key or member of the
 * job's team (LinkHolders): a revoked key, a signed-out session or an ended membership is 403.
 */
const resultExpired = () =>
  new AppError(ErrorCode.RESULT_EXPIRED, 'This result was deleted under the team’s retention policy; run the job again.');
const inputExpired = () => new AppError(ErrorCode.INPUT_EXPIRED, 'This original image was deleted under the team’s retention policy.');

/** The longest side of a thumbnail, in pixels. */
export const THUMBNAIL_PX = 320;

/** One job file as it goes out: a decrypted stream or a buffer made on request, and its headers. */
interface ServedFile {
  body: Readable | Buffer;
  contentType: string;
  /** Content-Length; null when the size is not recorded. */
  length: number | null;
  disposition: string;
  cacheControl: string;
}

const safeBase = (filename: string) => filename.replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_') || 'image';

@Controller('downloads')
export class DownloadsController {
  constructor(
    private readonly jobs: JobsRepository,
    private readonly blobs: EncryptedBlobsService,
    private readonly links: ResultLinks,
    private readonly holders: LinkHolders,
    private readonly fileNames: FileNames,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Get(':jobId')
  async download(@Param('jobId') jobId: string, @Query() link: SignedLinkQuery, @Res() res: Response): Promise<void> {
    await this.serve(res, jobId, 'a stored result failed authentication; it is not served', async () => {
      const { job, resultBlobKey } = await this.succeededJob(jobId, link, 'result');
      if (!job.resultContentType) throw notFound('Result');
      const extension = resultBlobKey.split('.').pop();
      const name = await this.inputName(job);
      return {
        body: await this.blobs.open(job.teamId, resultBlobKey),
        contentType: job.resultContentType,
        length: job.resultBytes,
        disposition: `attachment; filename="${safeBase(name)}-cutout.${extension}"`,
        cacheControl: 'private, no-store',
      };
    });
  }

  @Get(':jobId/input')
  async input(@Param('jobId') jobId: string, @Query() link: SignedLinkQuery, @Res() res: Response): Promise<void> {
    await this.serve(res, jobId, 'a stored original failed authentication; it is not served', async () => {
      const job = await this.linkedJob(jobId, link, 'input');
      // The link verified, so the job had an original: the record or the upload went with the retention policy.
      if (!job || !job.inputBlobKey) throw inputExpired();
      const extension = job.inputContentType.split('/')[1]?.replace('jpeg', 'jpg') ?? 'bin';
      const name = await this.inputName(job);
      return {
        body: await this.blobs.open(job.teamId, job.inputBlobKey),
        contentType: job.inputContentType,
        length: job.inputBytes,
        disposition: `inline; filename="${safeBase(name)}.${extension}"`,
        cacheControl: 'private, no-store',
      };
    });
  }

  @Get(':jobId/thumbnail')
  async thumbnail(@Param('jobId') jobId: string, @Query() link: SignedLinkQuery, @Res() res: Response): Promise<void> {
    await this.serve(res, jobId, 'a stored result failed authentication; no thumbnail is made', async () => {
      const { job, resultBlobKey } = await this.succeededJob(jobId, link, 'thumbnail');
      const result = await this.blobs.read(job.teamId, resultBlobKey);
      const preview = await sharp(result)
        .resize(THUMBNAIL_PX, THUMBNAIL_PX, { fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 75 })
        .toBuffer();
      const secondsLeft = Math.max(0, Number(link.expires) - Math.floor(Date.now() / 1000));
      return {
        body: preview,
        contentType: 'image/webp',
        length: preview.length,
        disposition: `inline; filename="${safeBase(await this.inputName(job))}-thumbnail.webp"`,
        cacheControl: `private, max-age=${secondsLeft}`,
      };
    });
  }

  /** The job's input file name, opened (FileNames): the base of every download name. */
  private inputName(job: JobEntity): Promise<string> {
    return this.fileNames.nameToShow(job.teamId, storedInputName(job));
  }

  /**
   * Verifies a link to the result (or its thumbnail) and loads its job: RESULT_EXPIRED when the link
   * verified but the record or the result went with the team's retention policy, NOT_FOUND without a result.
   */
  private async succeededJob(
    jobId: string,
    link: SignedLinkQuery,
    file: 'result' | 'thumbnail',
  ): Promise<{ job: JobEntity; resultBlobKey: string }> {
    const job = await this.linkedJob(jobId, link, file);
    // The link verified, so this job had a result once: its record or its result was deleted by the team's retention policy.
    if (!job || job.resultPurgedAt) throw resultExpired();
    if (job.status !== JobStatus.SUCCEEDED || !job.resultBlobKey) throw notFound('Result');
    return { job, resultBlobKey: job.resultBlobKey };
  }

  /**
   * Verifies a link (signature and expiry, then that its holder is live) and loads its job, which
   * the holder must still be allowed to read; undefined when the job's record is gone (retention).
   */
  private async linkedJob(jobId: string, link: SignedLinkQuery, file: JobFile): Promise<JobEntity | undefined> {
    this.links.verify(jobId, link, file);
    const holder = await this.holders.live(link.by);
    const job = await this.jobs.findById(jobId);
    if (job) await this.holders.assertMayReadJobs(holder, job.teamId);
    return job ?? undefined;
  }

  /**
   * Sends what `load` resolves to with the headers every job file shares, or the error as its HTTP
   * answer; a stored blob that fails authentication is logged with `unreadable` and never served.
   */
  private async serve(res: Response, jobId: string, unreadable: string, load: () => Promise<ServedFile>): Promise<void> {
    try {
      const file = await load();
      res.status(200);
      res.setHeader('Content-Type', file.contentType);
      if (file.length !== null) res.setHeader('Content-Length', String(file.length));
      res.setHeader('Content-Disposition', file.disposition);
      res.setHeader('Cache-Control', file.cacheControl);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      if (Buffer.isBuffer(file.body)) res.end(file.body);
      else await pipeline(file.body, res);
    } catch (error) {
      if (error instanceof DecryptionError) this.logger.error({ err: error, jobId }, unreadable);
      sendHttpError(res, error, this.logger);
    }
  }
}
