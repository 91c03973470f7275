import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Mailer, type MailMessage, type SentMail } from './mailer';

/** Development mailbox: one JSON file per mail under <DATA_DIR>/mail, listed by GET /dev/mailbox. */
export class DevMailboxMailer extends Mailer {
  /** Orders this process's mails sent within one millisecond (file names sort by time, then by it). */
  private sent = 0;

  constructor(private readonly folder: string) {
    super();
  }

  async send(message: MailMessage): Promise<void> {
    await fs.mkdir(this.folder, { recursive: true, mode: 0o700 });
    const sentAt = new Date();
    const order = (this.sent++).toString().padStart(12, '0');
    const file = path.join(this.folder, `${sentAt.getTime().toString().padStart(15, '0')}-${order}-${randomUUID()}.json`);
    const mail: SentMail = { ...message, sentAt: sentAt.toISOString() };
    await fs.writeFile(file, JSON.stringify(mail, null, 2), { mode: 0o600 });
  }

  /** The files of the mails whose recipient passes `match` (the erasure of a person finds theirs). */
  async filesTo(match: (to: string) => boolean): Promise<string[]> {
    const files = await fs.readdir(this.folder).catch(() => [] as string[]);
    const found: string[] = [];
    for (const f of files.filter((name) => name.endsWith('.json'))) {
      const mail = JSON.parse(await fs.readFile(path.join(this.folder, f), 'utf8').catch(() => '{}')) as Partial<SentMail>;
      if (typeof mail.to === 'string' && match(mail.to)) found.push(f);
    }
    return found;
  }

  async remove(files: readonly string[]): Promise<void> {
    for (const f of files) await fs.rm(path.join(this.folder, path.basename(f)), { force: true });
  }

  /** Deletes the mails sent before `cutoff` (file names begin with the sending time); answers how many. */
  async deleteSentBefore(cutoff: Date): Promise<number> {
    let files: string[];
    try {
      files = (await fs.readdir(this.folder)).filter((f) => f.endsWith('.json'));
    } catch {
      return 0;
    }
    const old = files.filter((f) => Number(f.split('-')[0]) < cutoff.getTime());
    for (const f of old) await fs.rm(path.join(this.folder, f), { force: true });
    return old.length;
  }

  /** Sent mails, newest first. */
  async list(limit = 100): Promise<SentMail[]> {
    let files: string[];
    try {
      files = (await fs.readdir(this.folder)).filter((f) => f.endsWith('.json'));
    } catch {
      return [];
    }
    files.sort().reverse();
    const mails = await Promise.all(
      files.slice(0, limit).map(async (f) => JSON.parse(await fs.readFile(path.join(this.folder, f), 'utf8')) as SentMail),
    );
    return mails;
  }
}
