import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { createPubSub } from '@graphql-yoga/subscription';
import { setMaxListeners } from 'node:events';
import { ListenConnection } from '../database/listen-connection';
import type { Logger } from '../common/logger';
import { LOGGER } from '../common/tokens';
import { CREDIT_BALANCE_CHANNEL, type CreditBalanceEvent } from './credit-balance-event';

function unlimitedEventTarget(): EventTarget {
  const target = new EventTarget();
  setMaxListeners(0, target);
  return target;
}

function isBalanceEvent(value: unknown): value is CreditBalanceEvent {
  const e = value as Partial<CreditBalanceEvent> | null;
  return (
    typeof e?.teamId === 'string' &&
    Number.isSafeInteger(e.availableQuarters) &&
    Number.isSafeInteger(e.debtQuarters) &&
    Number.isSafeInteger(e.version)
  );
}

/**
 * Balance changes across processes: `CreditsService.apply` publishes them with pg_notify inside
 * its transaction (they leave only on commit); one LISTEN connection per process receives them
 * and fans them out in memory to the team's subscribers.
 */
@Injectable()
export class CreditEventsService implements OnModuleDestroy {
  private readonly pubsub = createPubSub<Record<string, [CreditBalanceEvent]>>({ eventTarget: unlimitedEventTarget() });
  private connection?: ListenConnection;

  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  /** Starts listening (fails if the first connection fails); a connection lost later is replaced (ListenConnection). */
  async listen(databaseUrl: string): Promise<void> {
    this.connection = new ListenConnection({
      databaseUrl,
      channel: CREDIT_BALANCE_CHANNEL,
      applicationName: 'cutout-credit-events',
      logger: this.logger,
      onNotification: (payload) => {
        try {
          const event: unknown = JSON.parse(payload);
          if (isBalanceEvent(event)) this.pubsub.publish(`team:${event.teamId}`, event);
        } catch (error) {
          this.logger.warn({ err: error }, 'ignored a malformed credit event');
        }
      },
    });
    await this.connection.start();
  }

  subscribeTeam(teamId: string): AsyncIterable<CreditBalanceEvent> {
    return this.pubsub.subscribe(`team:${teamId}`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.connection?.close();
  }
}
