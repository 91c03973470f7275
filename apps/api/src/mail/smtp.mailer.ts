import nodemailer, { type Transporter } from 'nodemailer';
import { Mailer, type MailMessage } from './mailer';

/** Sends through an SMTP relay given as SMTP_URL (smtp://user:pass@host:587). */
export class SmtpMailer extends Mailer {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    super();
    this.transport = nodemailer.createTransport(smtpUrl);
  }

  async send(message: MailMessage): Promise<void> {
    await this.transport.sendMail({ from: this.from, ...message });
  }

  close(): void {
    this.transport.close();
  }
}
