import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import type { Clock } from '../../common/clock';
import { notFound } from '../../common/errors/app-error';
import { sendHttpError } from '../../common/errors/http-error';
import type { Logger } from '../../common/logger';
import { CLOCK, LOGGER } from '../../common/tokens';
import { LinkHolders } from '../../auth/link-holders.service';
import { isUuid } from '../../common/uuid';
import type { SignedLinkQuery } from '../../common/url-signer';
import { BlobNotFoundError } from '../../storage/blob-store';
import { DataRequestKind, DataRequestStatus } from './data-request-states';
import { DataRequestStore } from './data-request.store';
import { exportExpired } from './data-requests.errors';
import { ExportArchiveService } from './export-archive.service';
import { ExportLinks } from './export-links';

/**
 * GET /privacy/exports/:requestId?expires=…&by=…&signature=… — a completed export's ZIP, decrypted
 * as a stream, for the session of the person it is about that the link was made for. Forged or
 * expired link, or that session ended: 403 INVALID_TOKEN; no such export: 404 NOT_FOUND; the
 * archive already deleted (EXPORT_TTL_HOURS, or the account): 410 EXPORT_EXPIRED.
 */
@Controller('privacy/exports')
export class ExportDownloadsController {
  constructor(
    private readonly store: DataRequestStore,
    private readonly archives: ExportArchiveService,
    private readonly links: ExportLinks,
    private readonly holders: LinkHolders,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Get(':requestId')
  async download(@Param('requestId') requestId: string, @Query() link: SignedLinkQuery, @Res() res: Response): Promise<void> {
    try {
      this.links.verify(requestId, link);
      const holder = await this.holders.live(link.by);
      const row = isUuid(requestId) ? await this.store.find(requestId) : null;
      if (!row || row.kind !== DataRequestKind.EXPORT || row.status !== DataRequestStatus.COMPLETED) throw notFound('Export');
      if (row.subjectUserId) this.holders.assertIsPerson(holder, row.subjectUserId);
      const live = row.exportBlobKey && row.subjectUserId && row.exportExpiresAt && row.exportExpiresAt > this.clock.now();
      if (!live || !row.exportBlobKey || !row.subjectUserId) throw exportExpired();
      const stream = await this.archives.open(row.subjectUserId, row.exportBlobKey).catch((error: unknown) => {
        throw error instanceof BlobNotFoundError ? exportExpired() : error;
      });
      res.status(200);
      res.setHeader('Content-Type', 'application/zip');
      res.setHeader('Content-Disposition', `attachment; filename="cutout-export-${row.id}.zip"`);
      res.setHeader('Cache-Control', 'private, no-store');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      await pipeline(stream, res);
    } catch (error) {
      sendHttpError(res, error, this.logger);
    }
  }
}
