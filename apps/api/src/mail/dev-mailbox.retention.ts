import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { SweepRegistry, type SweepContext } from '../privacy/retention/sweep.registry';
import { DevMailboxMailer } from './dev-mailbox.mailer';
import { Mailer } from './mailer';

/**
 * Sweep task `dev-mailbox` (only when mail goes to the development mailbox, i.e. without
 * SMTP_URL): mail files older than DEV_MAILBOX_RETENTION_HOURS are deleted.
 */
@Injectable()
export class DevMailboxRetention implements OnModuleInit {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly mailer: Mailer,
    private readonly registry: SweepRegistry,
  ) {}

  onModuleInit(): void {
    const mailer = this.mailer;
    if (!(mailer instanceof DevMailboxMailer)) return;
    this.registry.register({ name: 'dev-mailbox', run: (c) => this.sweep(mailer, c) });
  }

  private async sweep(mailer: DevMailboxMailer, { now }: SweepContext): Promise<Record<string, number>> {
    const cutoff = new Date(now.getTime() - this.config.DEV_MAILBOX_RETENTION_HOURS * 3_600_000);
    return { devMails: await mailer.deleteSentBefore(cutoff) };
  }
}
