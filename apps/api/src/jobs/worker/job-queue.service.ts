import { Inject, Injectable } from '@nestjs/common';
import { PgBoss } from 'pg-boss';
import type { EntityManager } from 'typeorm';
import type { Logger } from '../../common/logger';
import { LOGGER } from '../../common/tokens';
import { API_CONFIG, type ApiConfig } from '../../config/api.config';
import type { JobHandler } from './job-outcome';

export const REMOVE_BACKGROUND_QUEUE = 'remove-background';

export interface RemoveBackgroundMessage {
  jobId: string;
}

/** Every queue and its message; `work` needs exactly one handler for each. */
export const QUEUES = [REMOVE_BACKGROUND_QUEUE] as const;
export type QueueName = (typeof QUEUES)[number];
export type QueueHandlers = Record<QueueName, JobHandler>;

/**
 * pg-boss on the app's PostgreSQL. Jobs are sent in the same transaction that creates
 * their row; LISTEN/NOTIFY wakes workers at once (no slow polling); a worker that stops
 * sending heartbeats loses the job, which pg-boss hands to another worker.
 */
@Injectable()
export class JobQueueService {
  private boss?: PgBoss;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async start(databaseUrl: string): Promise<void> {
    const boss = new PgBoss({
      connectionString: databaseUrl,
      schema: 'pgboss',
      useListenNotify: true,
      max: 4,
      application_name: 'cutout-queue',
      monitorIntervalSeconds: this.config.QUEUE_MONITOR_SECONDS,
      superviseIntervalSeconds: this.config.QUEUE_MONITOR_SECONDS,
    } as ConstructorParameters<typeof PgBoss>[0]);
    boss.on('error', (error: unknown) => this.logger.error({ err: error }, 'queue error'));
    await boss.start();
    const policy = {
      // One delivery more than JOB_MAX_ATTEMPTS: when the last attempt's worker dies, the extra
      // delivery finds attempt > max and finishes the job as WORKER_LOST instead of leaving it RUNNING.
      retryLimit: this.config.JOB_MAX_ATTEMPTS,
      retryDelay: this.config.JOB_RETRY_DELAY_SECONDS,
      heartbeatSeconds: this.config.JOB_HEARTBEAT_SECONDS,
      // A handler may first wait for a healthy inference server, then make its call.
      expireInSeconds: this.config.JOB_INFERENCE_WAIT_SECONDS + this.config.INFERENCE_DEADLINE_SECONDS + 60,
    };
    // Created once; later starts apply the current settings to the existing queue.
    // (Two processes starting together may both try to create it: the loser just updates.)
    if (!(await boss.getQueue(REMOVE_BACKGROUND_QUEUE)))
      await boss.createQueue(REMOVE_BACKGROUND_QUEUE, { notify: true, ...policy }).catch(() => undefined);
    await boss.updateQueue(REMOVE_BACKGROUND_QUEUE, { notify: true, ...policy });
    this.boss = boss;
  }

  /** Sends through the caller's transaction: the message exists only if the job row commits. */
  async send(manager: EntityManager, message: RemoveBackgroundMessage): Promise<void> {
    const db = { executeSql: async (text: string, values?: unknown[]) => ({ rows: (await manager.query(text, values)) as unknown[] }) };
    await this.requireBoss().send(REMOVE_BACKGROUND_QUEUE, message, { db });
  }

  /**
   * Starts working every queue, all handlers given here in one place: a queue without a
   * handler, or a handler for no queue, fails at boot. A handler answers with an outcome; only
   * here does `retry` become the throw that makes pg-boss deliver the job again.
   */
  async work(handlers: QueueHandlers): Promise<void> {
    const missing = QUEUES.filter((queue) => typeof handlers[queue] !== 'function');
    const unknown = Object.keys(handlers).filter((queue) => !(QUEUES as readonly string[]).includes(queue));
    if (missing.length || unknown.length)
      throw new Error(`queue handlers: missing ${missing.join(', ') || 'none'}; unknown ${unknown.join(', ') || 'none'}`);
    const boss = this.requireBoss();
    for (const queue of QUEUES) {
      const handle = handlers[queue];
      await boss.work<RemoveBackgroundMessage>(
        queue,
        // NOTIFY wakes workers for new jobs; retries (which send no NOTIFY) are found by a 2 s poll.
        { batchSize: 1, localConcurrency: this.config.WORKER_CONCURRENCY, pollingIntervalSeconds: 2, notifyPollingIntervalSeconds: 2 },
        async ([job]) => {
          const outcome = await handle({ jobId: job.data.jobId, attempt: job.retryCount + 1, signal: job.signal });
          if (outcome.kind === 'retry') throw new Error(`retry: ${outcome.reason}`);
        },
      );
    }
  }

  async stop(): Promise<void> {
    await this.boss?.stop({ graceful: true, timeout: 10_000 });
    this.boss = undefined;
  }

  private requireBoss(): PgBoss {
    if (!this.boss) throw new Error('the job queue is not started');
    return this.boss;
  }
}
