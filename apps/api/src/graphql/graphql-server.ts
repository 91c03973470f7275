import type { Server } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import type { Express } from 'express';
import { GraphQLError, NoSchemaIntrospectionCustomRule, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { ErrorCode } from '../common/errors/error-codes';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Principal, RequestContext } from '../auth/principal';
import { clearedSessionCookie, readBearer, sessionCookie } from '../auth/session-cookie';
import type { Logger } from '../common/logger';
import type { ApiConfig } from '../config/api.config';
import { formatGraphqlError } from './format-error';
import { graphqlJsonBody } from './graphql-body.middleware';
import { requestErrorStatusPlugin } from './request-error-status.plugin';
import { assertQueryLimits, type QueryLimits } from './query-limits';

export interface GraphqlServerDeps {
  schema: GraphQLSchema;
  config: ApiConfig;
  logger: Logger;
  resolvePrincipal(headers: { cookie?: string; authorization?: string }): Promise<Principal | null>;
  container: RequestContext['container'];
}

const PATH = '/graphql';

/**
 * Serves the schema at POST /graphql (Apollo Server 5, CSRF prevention on) and over
 * graphql-ws on the same path and port. Returns a function that stops both.
 */
export async function mountGraphql(app: Express, httpServer: Server, deps: GraphqlServerDeps): Promise<() => Promise<void>> {
  const { schema, config, logger } = deps;
  const limits: QueryLimits = { maxDepth: config.GRAPHQL_MAX_DEPTH, maxComplexity: config.GRAPHQL_MAX_COMPLEXITY };
  const secure = config.isProduction;

  const wsServer = new WebSocketServer({ server: httpServer, path: PATH });
  const wsCleanup = useServer<Record<string, unknown>, { credentials?: { cookie?: string; authorization?: string }; ip?: string }>(
    {
      schema,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const authorization = typeof params.authorization === 'string' ? params.authorization : undefined;
        const credentials = { cookie: ctx.extra.request.headers.cookie, authorization };
        // Credentials that are given must be valid; a connection without any is anonymous.
        if ((readBearer(authorization) || authorization) && !(await deps.resolvePrincipal(credentials))) return false;
        Object.assign(ctx.extra, { credentials, ip: ctx.extra.request.socket.remoteAddress ?? 'unknown' });
        return true;
      },
      context: async (ctx): Promise<RequestContext> => ({
        // Re-checked per operation, so a revoked key or session stops working at once.
        principal: await deps.resolvePrincipal(ctx.extra.credentials ?? {}),
        ip: ctx.extra.ip ?? 'unknown',
        container: deps.container,
      }),
      // Same checks as over HTTP, with the same error codes.
      onSubscribe: (_ctx, _id, payload) => {
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [new GraphQLError((error as Error).message, { extensions: { code: ErrorCode.GRAPHQL_PARSE_FAILED } })];
        }
        const rules = config.GRAPHQL_INTROSPECTION ? specifiedRules : [...specifiedRules, NoSchemaIntrospectionCustomRule];
        const invalid = validate(schema, document, rules);
        if (invalid.length) {
          return invalid.map((e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED } }));
        }
        try {
          assertQueryLimits(schema, document, payload.variables ?? undefined, payload.operationName, limits);
        } catch (error) {
          return [error as GraphQLError];
        }
        return undefined;
      },
      // Errors of a subscription's source stream (e.g. refused at subscribe time).
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatGraphqlError(e.toJSON(), e, logger)),
      onNext: (_ctx, _id, _payload, _args, result) => {
        if (!('errors' in result) || !result.errors?.length) return result;
        return { ...result, errors: result.errors.map((e) => formatGraphqlError(e.toJSON(), e, logger)) } as unknown as typeof result;
      },
    },
    wsServer,
  );

  const complexityPlugin: ApolloServerPlugin<RequestContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request }) {
          assertQueryLimits(schema, document, request.variables, request.operationName, limits);
        },
      };
    },
  };

  const apollo = new ApolloServer<RequestContext>({
    schema,
    introspection: config.GRAPHQL_INTROSPECTION,
    csrfPrevention: true,
    formatError: (formatted, error) => formatGraphqlError(formatted, error, logger),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      complexityPlugin,
      requestErrorStatusPlugin(),
      { async serverWillStart() { return { async drainServer() { await wsCleanup.dispose(); } }; } },
    ],
  });
  await apollo.start();

  app.use(
    PATH,
    ...graphqlJsonBody(config.MAX_INLINE_BYTES),
    expressMiddleware(apollo, {
      context: async ({ req, res }): Promise<RequestContext> => ({
        principal: await deps.resolvePrincipal({ cookie: req.headers.cookie, authorization: req.headers.authorization }),
        ip: req.ip ?? req.socket.remoteAddress ?? 'unknown',
        container: deps.container,
        cookies: {
          setSession: (token, expiresAt) => res.append('Set-Cookie', sessionCookie(token, expiresAt, secure)),
          clearSession: () => res.append('Set-Cookie', clearedSessionCookie(secure)),
        },
      }),
    }),
  );

  return async () => {
    await apollo.stop();
    await new Promise<void>((resolve) => wsServer.close(() => resolve()));
  };
}
