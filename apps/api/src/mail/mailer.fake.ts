import { Mailer, type MailMessage, type SentMail } from './mailer';

/** In-memory mailer for unit tests. */
export class FakeMailer extends Mailer {
  readonly sent: SentMail[] = [];
  failNext = false;

  async send(message: MailMessage): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('fake SMTP failure');
    }
    this.sent.unshift({ ...message, sentAt: new Date().toISOString() });
  }
}
