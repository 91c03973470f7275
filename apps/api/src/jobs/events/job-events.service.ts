import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { createPubSub } from '@graphql-yoga/subscription';
import { FollowedKeys, unlimitedEventTarget } from '../../common/fan-out';
import type { Logger } from '../../common/logger';
import { LOGGER } from '../../common/tokens';
import { ListenConnection } from '../../database/listen-connection';
import { JOB_EVENTS_CHANNEL, type JobEvent } from './job-event';

/** What this process's subscribers follow when the LISTEN connection comes back, and since when it was gone. */
export interface JobEventsGap {
  /** Jobs followed one by one (jobUpdated, a worker watching for a cancel). */
  jobIds: string[];
  /** Teams followed as a whole (teamJobs). */
  teamIds: string[];
  /** When the previous connection was lost: changes around and after it may have been missed. */
  lostAt: Date;
}

/** Re-reads what a gap may have hidden and hands it to deliver(); run after every reconnect. */
export type JobEventsCatchUp = (gap: JobEventsGap) => Promise<void>;

/**
 * Job events across processes: published by the jobs repository with pg_notify inside the
 * transaction that made the change (so they leave only on commit), received here by one
 * LISTEN connection per process and fanned out in memory to subscribers by job and by team.
 * When that connection drops, the old client is ended and a new one is made (with backoff, until
 * it works); then the catch-up re-reads what open subscriptions follow, since events sent
 * meanwhile were lost. Subscribers drop what they have already seen by its version.
 */
@Injectable()
export class JobEventsService implements OnModuleDestroy {
  // Hundreds of subscribers may follow one job: no listener limit on the fan-out target.
  private readonly pubsub = createPubSub<Record<string, [JobEvent]>>({ eventTarget: unlimitedEventTarget() });
  private readonly followedJobs = new FollowedKeys();
  private readonly followedTeams = new FollowedKeys();
  private readonly catchUps: JobEventsCatchUp[] = [];
  private connection?: ListenConnection;

  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  /** Starts listening; fails if the first connection fails. A connection lost later is replaced (ListenConnection). */
  async listen(databaseUrl: string): Promise<void> {
    this.connection = new ListenConnection({
      databaseUrl,
      channel: JOB_EVENTS_CHANNEL,
      applicationName: 'cutout-job-events',
      logger: this.logger,
      onNotification: (payload) => this.deliver(JSON.parse(payload) as JobEvent),
      onRestored: (lostAt) => void this.catchUp({ jobIds: this.followedJobs.keys(), teamIds: this.followedTeams.keys(), lostAt }),
    });
    await this.connection.start();
  }

  /** Registers a catch-up, run after every reconnect. */
  onReconnect(catchUp: JobEventsCatchUp): void {
    this.catchUps.push(catchUp);
  }

  private async catchUp(gap: JobEventsGap): Promise<void> {
    if (!gap.jobIds.length && !gap.teamIds.length) return;
    for (const catchUp of this.catchUps) {
      await catchUp(gap).catch((error: unknown) => this.logger.error({ err: error }, 'job events catch-up failed'));
    }
  }

  /** Fans one received event out to this process's subscribers of its job and its team. */
  deliver(event: JobEvent): void {
    this.pubsub.publish(`job:${event.jobId}`, event);
    this.pubsub.publish(`team:${event.teamId}`, event);
  }

  subscribeJob(jobId: string): AsyncIterable<JobEvent> {
    return this.followedJobs.follow(jobId, this.pubsub.subscribe(`job:${jobId}`));
  }

  subscribeTeam(teamId: string): AsyncIterable<JobEvent> {
    return this.followedTeams.follow(teamId, this.pubsub.subscribe(`team:${teamId}`));
  }

  async onModuleDestroy(): Promise<void> {
    await this.connection?.close();
  }
}
