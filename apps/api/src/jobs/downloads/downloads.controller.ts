import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
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
 */
const resultExpired = () =>
  new AppError(ErrorCode.RESULT_EXPIRED, 'This result was deleted under the team’s retention policy; run the job again.');

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
      const base = job.inputFilename.replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_') || 'image';
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
}
