import type { LoggerService } from '@nestjs/common';
import { withoutAddresses, type Logger } from '../common/logger';

/**
 * Routes Nest's own log lines into pino. Nest hands over an exception's message and stack as plain
 * strings (not under `err`, so the error serializer never sees them): their email addresses are
 * written as [address] here, as the serializer does for errors.
 */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.logger.debug({ context }, text(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace: trace === undefined ? undefined : withoutAddresses(trace) }, text(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, text(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.trace({ context }, text(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, text(message));
  }
}

const text = (message: unknown) => withoutAddresses(String(message));
