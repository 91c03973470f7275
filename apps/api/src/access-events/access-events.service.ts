import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ListenConnection } from '../database/listen-connection';
import type { EntityManager } from 'typeorm';
import type { Logger } from '../common/logger';
import { LOGGER } from '../common/tokens';

/** A credential or a membership changed: open WebSockets re-check what they hold. */
export type AccessEvent =
  | { kind: 'apiKeyRevoked'; apiKeyId: string }
  | { kind: 'sessionEnded'; sessionId: string }
  /** Every session of the user ended (sign-out everywhere, password reset). */
  | { kind: 'userSessionsEnded'; userId: string }
  /** Removed, left, role changed, ownership transferred. */
  | { kind: 'membershipChanged'; teamId: string; userId: string }
  /** Local only: the LISTEN connection was (re)opened, so notices may have been missed; re-check everything. */
  | { kind: 'resync' };

export type AccessEventListener = (event: AccessEvent) => void;

const CHANNEL = 'cutout_access_events';
const KINDS = new Set(['apiKeyRevoked', 'sessionEnded', 'userSessionsEnded', 'membershipChanged']);

/**
 * Access changes across API replicas: published with pg_notify inside the transaction that
 * made the change (so they leave only on commit), received by one LISTEN connection per
 * process and handed to in-process listeners (the WebSocket server).
 */
@Injectable()
export class AccessEventsService implements OnModuleDestroy {
  private readonly listeners = new Set<AccessEventListener>();
  private connection?: ListenConnection;

  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  /**
   * Starts listening (fails if the first connection fails). A connection lost later is replaced
   * (ListenConnection); events sent meanwhile were lost, so listeners get a `resync` then, as now.
   */
  async listen(databaseUrl: string): Promise<void> {
    this.connection = new ListenConnection({
      databaseUrl,
      channel: CHANNEL,
      applicationName: 'cutout-access-events',
      logger: this.logger,
      onNotification: (payload) => {
        const event = JSON.parse(payload) as AccessEvent;
        if (KINDS.has(event.kind)) this.emit(event);
      },
      onRestored: () => this.emit({ kind: 'resync' }),
    });
    await this.connection.start();
    this.emit({ kind: 'resync' });
  }

  /** Queues the event in the caller's transaction: it reaches every replica once that commits. */
  async publish(manager: EntityManager, event: Exclude<AccessEvent, { kind: 'resync' }>): Promise<void> {
    await manager.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(event)]);
  }

  /** Calls `listener` for every event; returns the function that stops it. */
  subscribe(listener: AccessEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async onModuleDestroy(): Promise<void> {
    await this.connection?.close();
  }

  private emit(event: AccessEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error({ err: error }, 'an access event listener failed');
      }
    }
  }
}
