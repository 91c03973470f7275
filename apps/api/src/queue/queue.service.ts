import { Inject, Injectable } from '@nestjs/common';
import { PgBoss } from 'pg-boss';
import type { EntityManager } from 'typeorm';
import type { Logger } from '../common/logger';
import { LOGGER } from '../common/tokens';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { QUEUES, type QueueHandlers, type QueueMessages, type QueueName } from './queues';

type QueuePolicy = NonNullable<Parameters<PgBoss['createQueue']>[1]>;

/**
 * pg-boss on the app's PostgreSQL. Messages are sent in the same transaction that creates
 * their row; LISTEN/NOTIFY wakes workers at once (no slow polling); a worker that stops
 * sending heartbeats loses the message, which pg-boss hands to another worker.
 */
@Injectable()
export class QueueService {
  private boss?: PgBoss;
  /** Handlers still running: stop() lets the ones it aborted finish their last writes before the app closes the database. */
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Each queue's settings, applied at every start (the first start creates the queue). */
  private policies(): Record<QueueName, QueuePolicy> {
    const c = this.config;
    return {
      'remove-background': {
        // One delivery more than JOB_MAX_ATTEMPTS: when the last attempt's worker dies, the extra
        // delivery finds attempt > max and finishes the job as WORKER_LOST instead of leaving it RUNNING.
        retryLimit: c.JOB_MAX_ATTEMPTS,
        retryDelay: c.JOB_RETRY_DELAY_SECONDS,
        heartbeatSeconds: c.JOB_HEARTBEAT_SECONDS,
        // A handler may first wait for a healthy inference server, then make its call.
        expireInSeconds: c.JOB_INFERENCE_WAIT_SECONDS + c.INFERENCE_DEADLINE_SECONDS + 60,
      },
      // At most one sweep runs at a time across every replica (pg-boss's singleton policy).
      'privacy-sweep': { policy: 'singleton', retryLimit: 0, expireInSeconds: 15 * 60 },
      // An execution that throws is delivered again (the handler counts attempts in the request and
      // marks it FAILED after DATA_REQUEST_MAX_ATTEMPTS); a large export may take a while.
      'data-request': {
        retryLimit: c.DATA_REQUEST_MAX_ATTEMPTS,
        retryDelay: c.DATA_REQUEST_RETRY_DELAY_SECONDS,
        retryBackoff: true,
        expireInSeconds: 30 * 60,
      },
    };
  }

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
    for (const [name, policy] of Object.entries(this.policies()) as [QueueName, QueuePolicy][]) {
      // Created once; later starts apply the current settings to the existing queue.
      // (Two processes starting together may both try to create it: the loser just updates.)
      if (!(await boss.getQueue(name))) await boss.createQueue(name, { notify: true, ...policy }).catch(() => undefined);
      const { policy: _fixedAtCreation, ...updatable } = policy;
      await boss.updateQueue(name, { notify: true, ...updatable });
    }
    this.boss = boss;
  }

  /** Sends through the caller's transaction: the message exists only if the caller's rows commit. */
  async send<Q extends QueueName>(manager: EntityManager, queue: Q, message: QueueMessages[Q]): Promise<void> {
    const db = { executeSql: async (text: string, values?: unknown[]) => ({ rows: (await manager.query(text, values)) as unknown[] }) };
    await this.requireBoss().send(queue, message, { db });
  }

  /** A cron schedule (pg-boss evaluates it once across all replicas); an empty cron removes it. */
  async schedule<Q extends QueueName>(queue: Q, cron: string, message: QueueMessages[Q]): Promise<void> {
    const boss = this.requireBoss();
    if (cron) await boss.schedule(queue, cron, message, { tz: 'UTC' });
    else await boss.unschedule(queue);
  }

  /**
   * Starts working every queue, all handlers given here in one place: a queue without a
   * handler, or a handler for no queue, fails at boot. A handler answers with an outcome; only
   * here does `retry` become the throw that makes pg-boss deliver the message again.
   */
  async work(handlers: QueueHandlers): Promise<void> {
    const missing = QUEUES.filter((queue) => typeof handlers[queue] !== 'function');
    const unknown = Object.keys(handlers).filter((queue) => !(QUEUES as readonly string[]).includes(queue));
    if (missing.length || unknown.length)
      throw new Error(`queue handlers: missing ${missing.join(', ') || 'none'}; unknown ${unknown.join(', ') || 'none'}`);
    const boss = this.requireBoss();
    for (const queue of QUEUES) {
      const handle = handlers[queue] as (delivery: {
        message: unknown;
        attempt: number;
        signal?: AbortSignal;
      }) => Promise<{ kind: string; reason?: string }>;
      await boss.work<object>(
        queue,
        // NOTIFY wakes workers for new messages; retries (which send no NOTIFY) are found by a 2 s poll.
        {
          batchSize: 1,
          localConcurrency: queue === 'remove-background' ? this.config.WORKER_CONCURRENCY : 1,
          pollingIntervalSeconds: 2,
          notifyPollingIntervalSeconds: 2,
        },
        async ([job]) => {
          const handling = handle({ message: job.data, attempt: job.retryCount + 1, signal: job.signal });
          this.running.add(handling);
          const outcome = await handling.finally(() => this.running.delete(handling));
          if (outcome.kind === 'retry') throw new Error(`retry: ${outcome.reason ?? 'asked by the handler'}`);
        },
      );
    }
  }

  /**
   * Graceful: handlers get WORKER_STOP_GRACE_SECONDS (10 s) to finish; past that pg-boss puts their messages back and aborts
   * their signals, and the aborted handlers get up to 5 s more to leave their jobs for the next
   * delivery (JobRunnerService) before the caller closes the database.
   */
  async stop(): Promise<void> {
    await this.boss?.stop({ graceful: true, timeout: this.config.WORKER_STOP_GRACE_SECONDS * 1000 });
    this.boss = undefined;
    if (this.running.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, 5_000)));
    await Promise.race([Promise.allSettled([...this.running]), bound]).finally(() => clearTimeout(timer));
  }

  private requireBoss(): PgBoss {
    if (!this.boss) throw new Error('the job queue is not started');
    return this.boss;
  }
}
