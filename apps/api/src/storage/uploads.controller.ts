import { Controller, Inject, Param, Put, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { sendHttpError } from '../common/errors/http-error';
import type { Logger } from '../common/logger';
import { LOGGER } from '../common/tokens';
import { UploadsService } from './uploads.service';

/** PUT /uploads/:id?token=… — the signed, single-use URL returned by createUpload. */
@Controller('uploads')
export class UploadsController {
  constructor(
    private readonly uploads: UploadsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Put(':id')
  async put(@Param('id') id: string, @Query('token') token: string | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      const length = req.headers['content-length'] ? Number(req.headers['content-length']) : undefined;
      const claim = await this.uploads.claimPut(
        id,
        typeof token === 'string' ? token : undefined,
        Number.isFinite(length) ? length : undefined,
      );
      const ready = await this.uploads.receive(claim, req);
      res.status(200).json({ id: ready.id, contentType: ready.contentType, width: ready.width, height: ready.height, bytes: ready.bytes });
    } catch (error) {
      // Stop reading a refused body, but let the answer reach the client first.
      res.once('finish', () => req.destroy());
      res.setHeader('Connection', 'close');
      sendHttpError(res, error, this.logger);
    }
  }
}
