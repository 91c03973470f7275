import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { createPubSub } from '@graphql-yoga/subscription';
import { ListenConnection } from '../database/listen-connection';
import { FollowedKeys, unlimitedEventTarget } from '../common/fan-out';
import type { Logger } from '../common/logger';
import { LOGGER } from '../common/tokens';
import { CREDIT_BALANCE_CHANNEL, type CreditBalanceEvent } from './credit-balance-event';

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
  private readonly followedTeams = new FollowedKeys();
  private readonly catchUps: ((teamIds: string[]) => Promise<void>)[] = [];
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
        const event: unknown = JSON.parse(payload);
        if (isBalanceEvent(event)) this.deliver(event);
      },
      // Changes made while it was down sent their events to nobody: the followed teams' balances are read again.
      onRestored: () => void this.catchUp(this.followedTeams.keys()),
    });
    await this.connection.start();
  }

  /** Registers a catch-up, run after every reconnect with the teams followed then (it delivers what it reads). */
  onReconnect(catchUp: (teamIds: string[]) => Promise<void>): void {
    this.catchUps.push(catchUp);
  }

  /** Fans a balance out to this process's subscribers of its team (subscribers drop versions they have seen). */
  deliver(event: CreditBalanceEvent): void {
    this.pubsub.publish(`team:${event.teamId}`, event);
  }

  subscribeTeam(teamId: string): AsyncIterable<CreditBalanceEvent> {
    return this.followedTeams.follow(teamId, this.pubsub.subscribe(`team:${teamId}`));
  }

  private async catchUp(teamIds: string[]): Promise<void> {
    if (!teamIds.length) return;
    for (const catchUp of this.catchUps) {
      await catchUp(teamIds).catch((error: unknown) => this.logger.error({ err: error }, 'credit events catch-up failed'));
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.connection?.close();
  }
}
