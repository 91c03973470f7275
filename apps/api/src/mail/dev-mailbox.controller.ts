import { Controller, Get, NotFoundException } from '@nestjs/common';
import { Mailer, type SentMail } from './mailer';
import { DevMailboxMailer } from './dev-mailbox.mailer';

/** GET /dev/mailbox: the dev mailbox's mails as JSON, newest first (never in production). */
@Controller('dev/mailbox')
export class DevMailboxController {
  constructor(private readonly mailer: Mailer) {}

  @Get()
  async list(): Promise<SentMail[]> {
    if (!(this.mailer instanceof DevMailboxMailer)) throw new NotFoundException('The dev mailbox is off: mail goes to SMTP_URL.');
    return this.mailer.list();
  }
}
