import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PersonalDataService } from '../crypto/personal-data.service';
import { PersonalDataRegistry, type DataSubject, type ErasureOutcome } from '../privacy/personal-data/personal-data.registry';
import { DevMailboxMailer } from './dev-mailbox.mailer';
import { MailOutbox } from './mail-outbox.service';
import { Mailer } from './mailer';

/**
 * The dev mailbox's part of data-subject requests (source `devMailbox`, erase order 10, only
 * when mail goes to the dev mailbox: SMTP keeps nothing here). The files of mails to the person
 * (matched by the blind index of the recipient) are counted in the erasure and deleted once it
 * commits, after every queued mail has left (so none to them lands afterwards).
 */
@Injectable()
export class DevMailboxPersonalData implements OnModuleInit {
  constructor(
    private readonly registry: PersonalDataRegistry,
    private readonly mailer: Mailer,
    private readonly outbox: MailOutbox,
    private readonly personalData: PersonalDataService,
  ) {}

  onModuleInit(): void {
    const mailbox = this.mailer;
    if (!(mailbox instanceof DevMailboxMailer)) return;
    this.registry.register({ name: 'devMailbox', eraseOrder: 10, erase: (s) => this.erase(mailbox, s) });
  }

  private async erase(mailbox: DevMailboxMailer, subject: DataSubject): Promise<ErasureOutcome> {
    const toSubject = (to: string) => this.personalData.emailIndex(to) === subject.emailIndex;
    const files = await mailbox.filesTo(toSubject);
    return {
      counts: { mails: files.length },
      afterCommit: async () => {
        await this.outbox.idle();
        await mailbox.remove(await mailbox.filesTo(toSubject));
      },
    };
  }
}
