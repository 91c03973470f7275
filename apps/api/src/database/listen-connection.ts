import { Client } from 'pg';
import type { Logger } from '../common/logger';

export interface ListenConnectionOptions {
  databaseUrl: string;
  /** The NOTIFY channel (an SQL identifier of ours, never user input). */
  channel: string;
  /** Shown in pg_stat_activity, and in the log lines of this connection. */
  applicationName: string;
  logger: Logger;
  /** One notification's payload; what it throws (a payload that is not an event) is logged and the payload ignored. */
  onNotification(payload: string): void;
  /** After a lost connection was replaced: notifications sent meanwhile were lost (`lostAt`: when it was lost). */
  onRestored?(lostAt: Date): void;
}

/** The wait before reconnect attempt n (0, 1, 2 …): 1, 2, 4 … 30 s. */
export function reconnectDelayMs(failures: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.min(failures, 5));
}

/**
 * One LISTEN connection, kept: when it is lost (an 'error' or an 'end', whichever comes first) it is
 * ended and one new connection is made, again and again with backoff until one works, and then
 * `onRestored` runs. Notifications reach `onNotification` from the current connection only. Shared by
 * the job, credit and access events, each on its own channel.
 */
export class ListenConnection {
  private client?: Client;
  private reconnectTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: ListenConnectionOptions) {}

  /** The first connection; rejects if it fails (a connection lost later is replaced). */
  start(): Promise<void> {
    return this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const { databaseUrl, channel, applicationName, logger } = this.options;
    const client = new Client({ connectionString: databaseUrl, application_name: applicationName });
    client.on('notification', (message) => {
      if (client !== this.client || message.channel !== channel || !message.payload) return;
      try {
        this.options.onNotification(message.payload);
      } catch (error) {
        logger.warn({ err: error, connection: applicationName }, 'ignored a malformed notification');
      }
    });
    // A dropped connection may say so twice ('error', then 'end'): only the current client's first word counts.
    const lost = (error?: Error) => {
      if (client !== this.client) return;
      this.client = undefined;
      void client.end().catch(() => undefined);
      if (this.closed) return;
      logger.error({ err: error, connection: applicationName }, 'LISTEN connection lost; reconnecting');
      this.reconnect(new Date(), 0);
    };
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) await client.end().catch(() => undefined);
    else this.client = client;
  }

  private reconnect(lostAt: Date, failures: number): void {
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.closed) return;
      this.connect().then(
        () => {
          if (this.closed) return;
          this.options.logger.info({ failures, connection: this.options.applicationName }, 'LISTEN connection restored');
          this.options.onRestored?.(lostAt);
        },
        (error: unknown) => {
          this.options.logger.warn(
            { err: error, failures: failures + 1, connection: this.options.applicationName },
            'LISTEN reconnect failed; retrying',
          );
          this.reconnect(lostAt, failures + 1);
        },
      );
    }, reconnectDelayMs(failures));
  }
}
