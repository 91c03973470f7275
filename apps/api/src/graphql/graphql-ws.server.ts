import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  GraphQLError,
  getOperationAST,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  subscribe,
  validate,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AccessEventListener } from '../access-events/access-events.service';
import type { RequestContext } from '../common/request-context/principal';
import { readBearer, readVisitorCookie } from '../auth/session-cookie';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-codes';
import type { Logger } from '../common/logger';
import type { ApiConfig } from '../config/api.config';
import { formatGraphqlError } from './format-error';
import { assertQueryLimits, assertSourceNesting, type QueryLimits } from './query-limits';
import { allowedOrigins, clientIp, cookieAllowed, refuseUpgrade, SocketsPerIp } from './ws-handshake';
import { WsSocketSession, type LiveOperation, type WsSessionDeps } from './ws-socket-session';

export interface GraphqlWsDeps extends WsSessionDeps {
  schema: GraphQLSchema;
  config: ApiConfig;
  logger: Logger;
  container: RequestContext['container'];
  /** Access changes from every replica (PostgreSQL LISTEN/NOTIFY). */
  accessEvents: { subscribe(listener: AccessEventListener): () => void };
}

type Extra = {
  socket: WebSocket;
  request: IncomingMessage;
  session?: WsSocketSession;
  ip?: string;
  /** The `cutout_visitor` cookie's id, when the socket may use cookies (same origin) and sent a valid one. */
  visitorId?: string;
};

type WsContext = RequestContext & { live: LiveOperation };

/**
 * A client's protocol error (a message over WS_MAX_PAYLOAD_BYTES, bad framing) makes ws close
 * the socket by itself (1009, 1002 …); graphql-ws would also print it as an internal error, so
 * anyone could fill the console. Logged once at info instead.
 */
function quietProtocolErrors(socket: WebSocket, logger: Logger): void {
  const emit = socket.emit.bind(socket);
  socket.emit = ((event: string | symbol, ...args: unknown[]) => {
    const code = (args[0] as { code?: unknown } | undefined)?.code;
    if (event === 'error' && typeof code === 'string' && code.startsWith('WS_ERR_')) {
      logger.info({ code }, 'WebSocket closed on a client protocol error');
      return true;
    }
    return emit(event, ...args);
  }) as WebSocket['emit'];
}

/**
 * graphql-ws on `path` of the HTTP server, hardened: messages over WS_MAX_PAYLOAD_BYTES close
 * the socket (1009) before any parsing; no connection_init within the timeout closes it (4408);
 * WS_MAX_SOCKETS_PER_IP sockets per client address (more: HTTP 429) and
 * WS_MAX_SUBSCRIPTIONS_PER_SOCKET open subscriptions per socket (more: RATE_LIMITED);
 * the session cookie counts only from allowed origins (otherwise the socket is anonymous);
 * credentials and team access are re-checked for every event (see WsSocketSession).
 */
export function mountGraphqlWs(httpServer: Server, path: string, deps: GraphqlWsDeps, limits: QueryLimits): { dispose(): Promise<void> } {
  const { schema, config, logger } = deps;
  const errorOptions = { hideSuggestions: !config.GRAPHQL_INTROSPECTION };
  const origins = allowedOrigins(config);
  const perIp = new SocketsPerIp(config.WS_MAX_SOCKETS_PER_IP);
  const sessions = new Set<WsSocketSession>();
  const wsServer = new WebSocketServer({ noServer: true, maxPayload: config.WS_MAX_PAYLOAD_BYTES });

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== path) return refuseUpgrade(socket, 400, 'No WebSocket here.');
    if (!perIp.tryAcquire(clientIp(request, config.TRUST_PROXY), socket)) {
      return refuseUpgrade(socket, 429, `Too many WebSockets from this address (at most ${config.WS_MAX_SOCKETS_PER_IP}).`);
    }
    wsServer.handleUpgrade(request, socket, head, (ws) => {
      quietProtocolErrors(ws, logger);
      wsServer.emit('connection', ws, request);
    });
  };
  httpServer.on('upgrade', onUpgrade);
  // Access notices heard so far: one that arrives while a new socket reads its caller reaches no session yet (below).
  let notices = 0;
  const stopListening = deps.accessEvents.subscribe((event) => {
    notices++;
    sessions.forEach((s) => s.onAccessEvent(event));
  });

  const cleanup = useServer<Record<string, unknown>, Extra>(
    {
      schema,
      connectionInitWaitTimeout: config.WS_CONNECTION_INIT_TIMEOUT_SECONDS * 1000,
      onConnect: async (ctx) => {
        const { request, socket } = ctx.extra;
        const params = ctx.connectionParams ?? {};
        const authorization = typeof params.authorization === 'string' ? params.authorization : undefined;
        // Cross-site WebSocket hijacking: a page of another origin gets an anonymous socket, never the cookie.
        const useCookie = cookieAllowed(request.headers.origin, origins);
        if (!useCookie && request.headers.cookie)
          logger.info({ origin: request.headers.origin }, 'WebSocket from a foreign origin: cookie ignored');
        const credentials = { cookie: useCookie ? request.headers.cookie : undefined, authorization };
        const heard = notices;
        const principal = await deps.resolvePrincipal(credentials);
        // Credentials that are given must be valid; a connection without any is anonymous.
        if ((readBearer(authorization) || authorization) && !principal) return false;
        const session = new WsSocketSession(credentials, principal, deps, (code, reason) => socket.close(code, reason));
        sessions.add(session);
        // A notice heard while the caller was read (a sign-out, a revoked key) may concern them: read them again, as it would have.
        if (notices !== heard) session.onAccessEvent({ kind: 'resync' });
        socket.once('close', () => {
          sessions.delete(session);
          session.close(1000, 'closed');
        });
        // The anonymous visitor's cookie choices (consent) too, under the same origin rule as the session cookie.
        const visitorId = useCookie ? readVisitorCookie(request.headers.cookie) : undefined;
        Object.assign(ctx.extra, { session, ip: clientIp(request, config.TRUST_PROXY), visitorId });
        return true;
      },
      context: async (ctx): Promise<WsContext> => {
        const session = ctx.extra.session as WsSocketSession;
        return {
          principal: await session.currentPrincipal(),
          ip: ctx.extra.ip ?? 'unknown',
          visitorId: ctx.extra.visitorId,
          container: deps.container,
          live: session.operation(),
        };
      },
      // Same checks as over HTTP, with the same error codes; then the cap on open subscriptions.
      onSubscribe: (ctx, id, payload) => {
        let document: DocumentNode;
        try {
          assertSourceNesting(payload.query);
        } catch (error) {
          return [error as GraphQLError];
        }
        try {
          document = parse(payload.query);
        } catch (error) {
          return [new GraphQLError((error as Error).message, { extensions: { code: ErrorCode.GRAPHQL_PARSE_FAILED } })];
        }
        const rules = config.GRAPHQL_INTROSPECTION ? specifiedRules : [...specifiedRules, NoSchemaIntrospectionCustomRule];
        const invalid = validate(schema, document, rules);
        if (invalid.length) {
          return invalid.map(
            (e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED } }),
          );
        }
        try {
          assertQueryLimits(schema, document, payload.variables ?? undefined, payload.operationName, limits);
        } catch (error) {
          // Only GraphQL errors may leave onSubscribe (anything else closes the whole socket with 4500);
          // an unexpected one is logged and answered INTERNAL_SERVER_ERROR by onError.
          return [error instanceof GraphQLError ? error : new GraphQLError('Internal server error.', { originalError: error as Error })];
        }
        const operation = getOperationAST(document, payload.operationName);
        if (!operation)
          return [new GraphQLError('Name the operation to run.', { extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED } })];
        const max = config.WS_MAX_SUBSCRIPTIONS_PER_SOCKET;
        if (operation.operation === 'subscription' && !ctx.extra.session?.reserveSubscription(id, max)) {
          const refused = new AppError(ErrorCode.RATE_LIMITED, `Too many open subscriptions on this connection (at most ${max}).`, {
            maxSubscriptions: max,
          });
          return [new GraphQLError(refused.message, { originalError: refused })];
        }
        return undefined;
      },
      subscribe: async (args) => {
        const result = await subscribe(args);
        return Symbol.asyncIterator in result ? (args.contextValue as WsContext).live.stream(result) : result;
      },
      onComplete: (ctx, id) => ctx.extra.session?.releaseSubscription(id),
      // Errors of a subscription's source stream (e.g. refused at subscribe time, or access ended).
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatGraphqlError(e.toJSON(), e, logger, errorOptions)),
      onNext: (_ctx, _id, _payload, _args, result) => {
        if (!('errors' in result) || !result.errors?.length) return result;
        return {
          ...result,
          errors: result.errors.map((e) => formatGraphqlError(e.toJSON(), e, logger, errorOptions)),
        } as unknown as typeof result;
      },
    },
    wsServer,
  );

  let disposed: Promise<void> | undefined;
  return {
    dispose: () =>
      (disposed ??= (async () => {
        httpServer.off('upgrade', onUpgrade);
        stopListening();
        await cleanup.dispose();
      })()),
  };
}
