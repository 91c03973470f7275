import { isIP } from 'node:net';
import { Controller, Get, NotFoundException, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Mailer, type SentMail } from './mailer';
import { DevMailboxMailer } from './dev-mailbox.mailer';

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback addresses. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.replace(/^::ffff:/i, '');
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return isIP(address) === 6 && /^(0{0,4}:){7}0{0,3}1$|^::1$/.test(address);
}

/**
 * GET /dev/mailbox: the dev mailbox's mails as JSON, newest first. Never in production, and
 * only to clients on this machine: the socket's own peer address decides (never
 * X-Forwarded-For), so a server listening on 0.0.0.0 does not hand tokens to the network.
 */
@Controller('dev/mailbox')
export class DevMailboxController {
  constructor(private readonly mailer: Mailer) {}

  @Get()
  async list(@Req() req: Request): Promise<SentMail[]> {
    if (!isLoopbackAddress(req.socket.remoteAddress)) throw new NotFoundException();
    if (!(this.mailer instanceof DevMailboxMailer)) throw new NotFoundException('The dev mailbox is off: mail goes to SMTP_URL.');
    return this.mailer.list();
  }
}
