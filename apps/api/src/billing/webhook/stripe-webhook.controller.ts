import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-codes';
import { sendHttpError } from '../../common/errors/http-error';
import type { Logger } from '../../common/logger';
import { LOGGER } from '../../common/tokens';
import { StripeWebhookService } from './stripe-webhook.service';

/** Stripe's events are a few KiB; anything much larger is not from Stripe. */
export const MAX_WEBHOOK_BYTES = 512 * 1024;

/**
 * POST /webhooks/stripe — Stripe's event deliveries. The body is read raw (the API parses JSON only
 * on /graphql): the signature covers the exact bytes. 2xx once the event is recorded (also for events
 * of no purchase of ours: Stripe stops retrying them); 400 when the signature does not verify.
 */
@Controller('webhooks')
export class StripeWebhookController {
  constructor(
    private readonly webhooks: StripeWebhookService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Post('stripe')
  async receive(@Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      const body = await readRawBody(req, MAX_WEBHOOK_BYTES);
      const signature = req.headers['stripe-signature'];
      const outcome = await this.webhooks.receive(body, typeof signature === 'string' ? signature : undefined);
      res.status(200).json({ received: true, outcome });
    } catch (error) {
      if (!req.complete) {
        // Stop reading a refused body, but let the answer reach the client first.
        res.once('finish', () => req.destroy());
        res.setHeader('Connection', 'close');
      }
      sendHttpError(res, error, this.logger);
    }
  }
}

async function readRawBody(req: Request, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new AppError(ErrorCode.BAD_REQUEST, `A webhook body is at most ${limit} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
