import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { createPubSub } from '@graphql-yoga/subscription';
import { setMaxListeners } from 'node:events';
import { Client } from 'pg';
import type { Logger } from '../../common/logger';
import { LOGGER } from '../../common/tokens';
import { JOB_EVENTS_CHANNEL, type JobEvent } from './job-event';

function unlimitedEventTarget(): EventTarget {
  const target = new EventTarget();
  setMaxListeners(0, target);
  return target;
}

/**
 * Job events across processes: published by the jobs repository with pg_notify inside the
 * transaction that made the change (so they leave only on commit), received here by one
 * LISTEN connection per process and fanned out in memory to subscribers by job and by team.
 */
@Injectable()
export class JobEventsService implements OnModuleDestroy {
  // Hundreds of subscribers may follow one job: no listener limit on the fan-out target.
  private readonly pubsub = createPubSub<Record<string, [JobEvent]>>({ eventTarget: unlimitedEventTarget() });
  private listener?: Client;
  private closed = false;

  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  async listen(databaseUrl: string): Promise<void> {
    const client = new Client({ connectionString: databaseUrl, application_name: 'cutout-job-events' });
    client.on('notification', (message) => {
      if (message.channel !== JOB_EVENTS_CHANNEL || !message.payload) return;
      try {
        this.deliver(JSON.parse(message.payload) as JobEvent);
      } catch (error) {
        this.logger.warn({ err: error }, 'ignored a malformed job event');
      }
    });
    client.on('error', (error) => {
      this.logger.error({ err: error }, 'job events connection failed; reconnecting');
      if (!this.closed) setTimeout(() => void this.listen(databaseUrl).catch(() => undefined), 1000);
    });
    await client.connect();
    await client.query(`LISTEN ${JOB_EVENTS_CHANNEL}`);
    this.listener = client;
  }

  /** Fans one received event out to this process's subscribers of its job and its team. */
  deliver(event: JobEvent): void {
    this.pubsub.publish(`job:${event.jobId}`, event);
    this.pubsub.publish(`team:${event.teamId}`, event);
  }

  subscribeJob(jobId: string): AsyncIterable<JobEvent> {
    return this.pubsub.subscribe(`job:${jobId}`);
  }

  subscribeTeam(teamId: string): AsyncIterable<JobEvent> {
    return this.pubsub.subscribe(`team:${teamId}`);
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    await this.listener?.end().catch(() => undefined);
  }
}
