import path from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { DevMailboxController } from './dev-mailbox.controller';
import { DevMailboxMailer } from './dev-mailbox.mailer';
import { DevMailboxRetention } from './dev-mailbox.retention';
import { DevMailboxPersonalData } from './dev-mailbox.personal-data';
import { MailOutbox } from './mail-outbox.service';
import { Mailer } from './mailer';
import { SmtpMailer } from './smtp.mailer';

@Module({})
export class MailModule {
  static register(config: ApiConfig): DynamicModule {
    return {
      module: MailModule,
      global: true,
      controllers: config.isProduction ? [] : [DevMailboxController],
      providers: [
        {
          provide: Mailer,
          inject: [API_CONFIG],
          useFactory: (c: ApiConfig) =>
            c.SMTP_URL ? new SmtpMailer(c.SMTP_URL, c.MAIL_FROM) : new DevMailboxMailer(path.join(c.dataDir, 'mail')),
        },
        MailOutbox,
        DevMailboxPersonalData,
        DevMailboxRetention,
      ],
      exports: [Mailer, MailOutbox],
    };
  }
}
