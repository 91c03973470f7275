import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { createPubSub } from '@graphql-yoga/subscription';
import { setMaxListeners } from 'node:events';
import { Client } from 'pg';
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
  private listener?: Client;
  private closed = false;

  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  async listen(databaseUrl: string): Promise<void> {
    const client = new Client({ connectionString: databaseUrl, application_name: 'cutout-credit-events' });
    client.on('notification', (message) => {
      if (message.channel !== CREDIT_BALANCE_CHANNEL || !message.payload) return;
      try {
        const event: unknown = JSON.parse(message.payload);
        if (isBalanceEvent(event)) this.pubsub.publish(`team:${event.teamId}`, event);
      } catch (error) {
        this.logger.warn({ err: error }, 'ignored a malformed credit event');
      }
    });
    client.on('error', (error) => {
      this.logger.error({ err: error }, 'credit events connection failed; reconnecting');
      void client.end().catch(() => undefined);
      if (!this.closed) setTimeout(() => void this.listen(databaseUrl).catch(() => undefined), 1000);
    });
    await client.connect();
    await client.query(`LISTEN ${CREDIT_BALANCE_CHANNEL}`);
    this.listener = client;
  }

  subscribeTeam(teamId: string): AsyncIterable<CreditBalanceEvent> {
    return this.pubsub.subscribe(`team:${teamId}`);
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    await this.listener?.end().catch(() => undefined);
  }
}
