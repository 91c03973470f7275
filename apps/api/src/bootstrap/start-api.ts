import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Server } from 'node:http';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import type { Express } from 'express';
import { KeyRing } from '@cutout/crypto';
import { AppModule } from '../app.module';
import { AccessEventsService } from '../access-events/access-events.service';
import { AuthService } from '../auth/auth.service';
import type { RequestContext } from '../common/request-context/principal';
import { systemClock, type Clock } from '../common/clock';
import { createLogger, type Logger } from '../common/logger';
import type { ApiConfig } from '../config/api.config';
import { CreditEventsService } from '../credits/credit-events.service';
import { resolveMasterKey } from '../config/master-key';
import { buildGraphqlSchema } from '../graphql/build-schema';
import { mountGraphql } from '../graphql/graphql-server';
import { JobEventsService } from '../jobs/events/job-events.service';
import { JobRunnerService } from '../jobs/worker/job-runner.service';
import { MailOutbox } from '../mail/mail-outbox.service';
import { QueueService } from '../queue/queue.service';
import { DataRequestExecutor } from '../privacy/data-requests/data-request-executor.service';
import { RetentionSweeperService } from '../privacy/retention/retention-sweeper.service';
import { TeamAccessService } from '../teams/team-access.service';
import { openDatabase, type Database } from './database';
import { NestPinoLogger } from './nest-logger';
import { serveWebBuild } from './web-static';

export interface ApiHandle {
  /** Base URL of the HTTP server (roles all and api). */
  url: string;
  port: number;
  app: INestApplication;
  database: Database;
  logger: Logger;
  close(): Promise<void>;
}

/**
 * Starts one process of the platform. ROLE=all (default): HTTP API + worker; ROLE=api:
 * GraphQL/REST only; ROLE=worker: takes jobs only. All roles share PostgreSQL (data,
 * queue, LISTEN/NOTIFY events), so any number of each can run side by side.
 */
export interface StartOptions {
  /** The time rules read (tests pass a FakeClock to move it). */
  clock?: Clock;
}

export async function startApi(
  config: ApiConfig,
  logger: Logger = createLogger(config.LOG_LEVEL),
  options: StartOptions = {},
): Promise<ApiHandle> {
  const keyRing = new KeyRing(resolveMasterKey(config, logger));
  const database = await openDatabase(config, logger);
  const app = await NestFactory.create(
    AppModule.register({ config, logger, dataSource: database.dataSource, keyRing, clock: options.clock ?? systemClock }),
    {
      bodyParser: false,
      logger: new NestPinoLogger(logger),
    },
  );
  const express = app.getHttpAdapter().getInstance() as Express;
  // One proxy hop: the client is the address our proxy appended last to X-Forwarded-For; what
  // the client wrote before it is not trusted (else anyone could pick their rate-limit bucket).
  express.set('trust proxy', config.TRUST_PROXY ? 1 : false);
  express.disable('x-powered-by');

  await app.get(JobEventsService).listen(database.url);
  const queue = app.get(QueueService);
  await queue.start(database.url);
  const serveHttp = config.ROLE !== 'worker';
  const runWorker = config.ROLE !== 'api';

  let stopGraphql: (() => Promise<void>) | undefined;
  const httpServer = app.getHttpServer() as Server;
  if (serveHttp) {
    const auth = app.get(AuthService);
    const container: RequestContext['container'] = { get: (cls) => app.get(cls, { strict: false }) };
    const schema = await buildGraphqlSchema((cls) => app.get(cls, { strict: false }));
    const accessEvents = app.get(AccessEventsService);
    await accessEvents.listen(database.url);
    await app.get(CreditEventsService).listen(database.url);
    stopGraphql = await mountGraphql(express, httpServer, {
      schema,
      config,
      logger,
      container,
      resolvePrincipal: (h) => auth.resolve(h),
      access: app.get(TeamAccessService),
      accessEvents,
    });
    if (serveWebBuild(express, path.resolve(config.WEB_DIST_DIR)))
      logger.info({ folder: config.WEB_DIST_DIR }, 'serving the dashboard build');
    await app.listen(config.PORT, config.HOST);
  } else {
    await app.init();
  }
  if (runWorker) {
    const runner = app.get(JobRunnerService);
    const sweeper = app.get(RetentionSweeperService);
    await queue.work({
      'remove-background': ({ message, attempt, signal }) => runner.handle({ jobId: message.jobId, attempt, signal }),
      'privacy-sweep': async () => {
        await sweeper.sweepOnce();
        return { kind: 'succeeded' };
      },
      'data-request': ({ message, attempt }) => app.get(DataRequestExecutor, { strict: false }).handle(message.requestId, attempt),
    });
    await queue.schedule('privacy-sweep', config.PRIVACY_SWEEP_CRON, {});
  }

  const port = serveHttp ? (httpServer.address() as AddressInfo).port : 0;
  const url = `http://localhost:${port}`;
  logger.info({ role: config.ROLE, url: serveHttp ? url : undefined }, serveHttp ? 'API listening' : 'worker started');

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    app,
    database,
    logger,
    close: () =>
      (closing ??= (async () => {
        await stopGraphql?.();
        await queue.stop();
        await app.close();
        await app.get(MailOutbox).idle();
        await database.dataSource.destroy();
        await database.embedded?.stop();
      })()),
  };
}
