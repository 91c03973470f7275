import { Inject, Injectable } from '@nestjs/common';
import { LOGGER } from '../common/tokens';
import type { Logger } from '../common/logger';
import { Mailer, type MailMessage } from './mailer';

/**
 * Sends mail off the request path, so answers (and their timing) do not depend on
 * whether a mail was sent — part of account-enumeration resistance.
 */
@Injectable()
export class MailOutbox {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly mailer: Mailer,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  enqueue(message: MailMessage, kind: string): void {
    const sending = this.mailer
      .send(message)
      .then(() => this.logger.info({ kind }, 'mail sent'))
      .catch((error: unknown) => this.logger.error({ kind, err: error }, 'mail could not be sent'))
      .finally(() => this.pending.delete(sending));
    this.pending.add(sending);
  }

  /** Resolves when every queued mail has been handed to the mailer. */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }
}
