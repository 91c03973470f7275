import type { Server } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import type { Express } from 'express';
import type { GraphQLSchema } from 'graphql';
import type { Principal, RequestContext } from '../common/request-context/principal';
import { clearedSessionCookie, readVisitorCookie, sessionCookie, visitorCookie } from '../auth/session-cookie';
import type { Logger } from '../common/logger';
import type { ApiConfig } from '../config/api.config';
import { formatGraphqlError } from './format-error';
import { mountGraphqlWs, type GraphqlWsDeps } from './graphql-ws.server';
import { graphqlJsonBody, refuseDeepDocuments } from './graphql-body.middleware';
import { requestErrorStatusPlugin } from './request-error-status.plugin';
import { assertQueryLimits, type QueryLimits } from './query-limits';

export interface GraphqlServerDeps {
  schema: GraphQLSchema;
  config: ApiConfig;
  logger: Logger;
  resolvePrincipal(headers: { cookie?: string; authorization?: string }): Promise<Principal | null>;
  container: RequestContext['container'];
  /** Team access for the per-event re-checks of subscriptions. */
  access: GraphqlWsDeps['access'];
  accessEvents: GraphqlWsDeps['accessEvents'];
}

const PATH = '/graphql';

/**
 * Serves the schema at POST /graphql (Apollo Server 5, CSRF prevention on) and over
 * graphql-ws on the same path and port. Returns a function that stops both.
 */
export async function mountGraphql(app: Express, httpServer: Server, deps: GraphqlServerDeps): Promise<() => Promise<void>> {
  const { schema, config, logger } = deps;
  const limits: QueryLimits = {
    maxDepth: config.GRAPHQL_MAX_DEPTH,
    maxComplexity: config.GRAPHQL_MAX_COMPLEXITY,
    maxRootFields: config.GRAPHQL_MAX_ROOT_FIELDS,
  };
  const secure = config.isProduction;
  const visitorSecure = config.isProduction || config.PUBLIC_URL.startsWith('https:');

  const ws = mountGraphqlWs(httpServer, PATH, deps, limits);

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
    formatError: (formatted, error) => formatGraphqlError(formatted, error, logger, { hideSuggestions: !config.GRAPHQL_INTROSPECTION }),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      complexityPlugin,
      requestErrorStatusPlugin(),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await ws.dispose();
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  app.use(
    PATH,
    ...graphqlJsonBody(config.MAX_INLINE_BYTES),
    refuseDeepDocuments,
    expressMiddleware(apollo, {
      context: async ({ req, res }): Promise<RequestContext> => ({
        principal: await deps.resolvePrincipal({ cookie: req.headers.cookie, authorization: req.headers.authorization }),
        ip: req.ip ?? req.socket.remoteAddress ?? 'unknown',
        container: deps.container,
        visitorId: readVisitorCookie(req.headers.cookie),
        cookies: {
          setSession: (token, expiresAt) => res.append('Set-Cookie', sessionCookie(token, expiresAt, secure)),
          clearSession: () => res.append('Set-Cookie', clearedSessionCookie(secure)),
          setVisitor: (visitorId) => res.append('Set-Cookie', visitorCookie(visitorId, visitorSecure)),
        },
      }),
    }),
  );

  return async () => {
    await apollo.stop();
    await ws.dispose();
  };
}
