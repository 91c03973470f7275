import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
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
import { JobsRepository } from '../jobs.repository';
import { ResultLinks } from './result-links';

/**
 * GET /downloads/:jobId?expires=…&signature=… — the result, decrypted as a stream. Headers go
 * out only after the first segment verified (a blob tampered with there answers a clean 500);
 * a later bad segment aborts the response before any byte of that segment is sent.
 * GET /downloads/:jobId/input — the original, while the retention policy keeps it (410 INPUT_EXPIRED after).
 * GET /downloads/:jobId/thumbnail — the result scaled into THUMBNAIL_PX × THUMBNAIL_PX as WebP, made on request
 * (never stored: nothing more for retention and erasure to find), cached by the browser while the link lives.
 * Each link is signed for its own path: a link to one file of one job opens nothing else.
 */
const resultExpired = () =>
  new AppError(ErrorCode.RESULT_EXPIRED, 'This result was deleted under the team’s retention policy; run the job again.');
const inputExpired = () => new AppError(ErrorCode.INPUT_EXPIRED, 'This original image was deleted under the team’s retention policy.');

/** The longest side of a thumbnail, in pixels. */
export const THUMBNAIL_PX = 320;

const safeBase = (filename: string) => filename.replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_') || 'image';

@Controller('downloads')
export class DownloadsController {
  constructor(
    private readonly jobs: JobsRepository,
    private readonly blobs: EncryptedBlobsService,
    private readonly links: ResultLinks,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Get(':jobId')
  async download(
    @Param('jobId') jobId: string,
    @Query('expires') expires: string,
    @Query('signature') signature: string,
    @Res() res: Response,
  ): Promise<void> {
    try {
      this.links.verify(jobId, expires, signature);
      const job = await this.jobs.findById(jobId);
      // The link verified, so this job had a result once: its record or its result was deleted by the team's retention policy.
      if (!job || job.resultPurgedAt) throw resultExpired();
      if (job.status !== JobStatus.SUCCEEDED || !job.resultBlobKey || !job.resultContentType) throw notFound('Result');
      const stream = await this.blobs.open(job.teamId, job.resultBlobKey);
      const base = safeBase(job.inputFilename);
      const extension = job.resultBlobKey.split('.').pop();
      res.status(200);
      res.setHeader('Content-Type', job.resultContentType);
      if (job.resultBytes !== null) res.setHeader('Content-Length', String(job.resultBytes));
      res.setHeader('Content-Disposition', `attachment; filename="${base}-cutout.${extension}"`);
      res.setHeader('Cache-Control', 'private, no-store');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      await pipeline(stream, res);
    } catch (error) {
      if (error instanceof DecryptionError)
        this.logger.error({ err: error, jobId }, 'a stored result failed authentication; it is not served');
      sendHttpError(res, error, this.logger);
    }
  }

  @Get(':jobId/input')
  async input(
    @Param('jobId') jobId: string,
    @Query('expires') expires: string,
    @Query('signature') signature: string,
    @Res() res: Response,
  ): Promise<void> {
    try {
      this.links.verify(jobId, expires, signature, 'input');
      const job = await this.jobs.findById(jobId);
      // The link verified, so the job had an original: the record or the upload went with the retention policy.
      if (!job || !job.inputBlobKey) throw inputExpired();
      const stream = await this.blobs.open(job.teamId, job.inputBlobKey);
      res.status(200);
      res.setHeader('Content-Type', job.inputContentType);
      res.setHeader('Content-Length', String(job.inputBytes));
      const extension = job.inputContentType.split('/')[1]?.replace('jpeg', 'jpg') ?? 'bin';
      res.setHeader('Content-Disposition', `inline; filename="${safeBase(job.inputFilename)}.${extension}"`);
      res.setHeader('Cache-Control', 'private, no-store');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      await pipeline(stream, res);
    } catch (error) {
      if (error instanceof DecryptionError)
        this.logger.error({ err: error, jobId }, 'a stored original failed authentication; it is not served');
      sendHttpError(res, error, this.logger);
    }
  }

  @Get(':jobId/thumbnail')
  async thumbnail(
    @Param('jobId') jobId: string,
    @Query('expires') expires: string,
    @Query('signature') signature: string,
    @Res() res: Response,
  ): Promise<void> {
    try {
      this.links.verify(jobId, expires, signature, 'thumbnail');
      const job = await this.jobs.findById(jobId);
      if (!job || job.resultPurgedAt) throw resultExpired();
      if (job.status !== JobStatus.SUCCEEDED || !job.resultBlobKey) throw notFound('Result');
      const result = await this.blobs.read(job.teamId, job.resultBlobKey);
      const preview = await sharp(result)
        .resize(THUMBNAIL_PX, THUMBNAIL_PX, { fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 75 })
        .toBuffer();
      const secondsLeft = Math.max(0, Number(expires) - Math.floor(Date.now() / 1000));
      res.status(200);
      res.setHeader('Content-Type', 'image/webp');
      res.setHeader('Content-Length', String(preview.length));
      res.setHeader('Content-Disposition', `inline; filename="${safeBase(job.inputFilename)}-thumbnail.webp"`);
      res.setHeader('Cache-Control', `private, max-age=${secondsLeft}`);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.end(preview);
    } catch (error) {
      if (error instanceof DecryptionError)
        this.logger.error({ err: error, jobId }, 'a stored result failed authentication; no thumbnail is made');
      sendHttpError(res, error, this.logger);
    }
  }
}
