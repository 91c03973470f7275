export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface SentMail extends MailMessage {
  sentAt: string;
}

/** Port for sending mail; SMTP in real deployments, the dev mailbox otherwise. */
export abstract class Mailer {
  abstract send(message: MailMessage): Promise<void>;
}
