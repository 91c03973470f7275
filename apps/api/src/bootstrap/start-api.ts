import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import type { Express } from 'express';
import { KeyRing } from '@cutout/crypto';
import { AppModule } from '../app.module';
import { AuthService } from '../auth/auth.service';
import { createLogger, type Logger } from '../common/logger';
import type { ApiConfig } from '../config/api.config';
import { resolveMasterKey } from '../config/master-key';
import { buildGraphqlSchema } from '../graphql/build-schema';
import { mountGraphql } from '../graphql/graphql-server';
import { MailOutbox } from '../mail/mail-outbox.service';
import { openDatabase, type Database } from './database';
import { NestPinoLogger } from './nest-logger';

export interface ApiHandle {
  url: string;
  port: number;
  app: INestApplication;
  database: Database;
  logger: Logger;
  close(): Promise<void>;
}

/** Starts the whole API: database (+ migrations), Nest, GraphQL over HTTP and WebSocket. */
export async function startApi(config: ApiConfig, logger: Logger = createLogger(config.LOG_LEVEL)): Promise<ApiHandle> {
  const keyRing = new KeyRing(resolveMasterKey(config, logger));
  const database = await openDatabase(config, logger);
  const app = await NestFactory.create(AppModule.register({ config, logger, dataSource: database.dataSource, keyRing }), {
    bodyParser: false,
    logger: new NestPinoLogger(logger),
  });
  const express = app.getHttpAdapter().getInstance() as Express;
  express.set('trust proxy', config.TRUST_PROXY);
  express.disable('x-powered-by');

  const auth = app.get(AuthService);
  const schema = await buildGraphqlSchema((cls) => app.get(cls, { strict: false }));
  const httpServer = app.getHttpServer() as Server;
  const stopGraphql = await mountGraphql(express, httpServer, { schema, config, logger, resolvePrincipal: (h) => auth.resolve(h) });
  await app.listen(config.PORT, config.HOST);

  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://localhost:${port}`;
  logger.info({ url, graphql: `${url}/graphql` }, 'API listening');

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    app,
    database,
    logger,
    close: () =>
      (closing ??= (async () => {
        await stopGraphql();
        await app.close();
        await app.get(MailOutbox).idle();
        await database.dataSource.destroy();
        await database.embedded?.stop();
      })()),
  };
}
