import { createClient, type Client } from 'graphql-ws';
import { ApiError, type ErrorExtensions } from './errors';
import type { TypedDocumentString } from './generated/graphql';

/**
 * A thin typed GraphQL client: queries and mutations are JSON POSTs to /graphql on the same origin
 * (the session cookie rides along; a JSON body satisfies Apollo's CSRF prevention), subscriptions
 * run over one lazily opened graphql-ws connection. Errors become ApiError with the first error's
 * `extensions.code`.
 */

interface GraphQLErrorJson {
  message: string;
  extensions?: ErrorExtensions;
}

interface ResultJson<T> {
  data?: T | null;
  errors?: readonly GraphQLErrorJson[];
}

function toApiError(errors: readonly GraphQLErrorJson[]): ApiError {
  const first = errors[0];
  return new ApiError(first?.message ?? 'Request failed', first?.extensions?.code ?? 'INTERNAL_SERVER_ERROR', first?.extensions ?? {});
}

/**
 * What an answer says about the person's access, for the session to catch up with (session.tsx):
 * `session` — UNAUTHENTICATED, or the socket closed 4401: the session ended (signed out elsewhere,
 * a password reset, expiry); `team` — NOT_FOUND or FORBIDDEN for an operation naming a team: the
 * membership may have ended or the role changed. Pages keep showing their own error; this only
 * tells the one place that reloads the user and teams.
 */
export type AccessChange = 'session' | 'team';

const accessListeners = new Set<(change: AccessChange) => void>();

/** Calls `listener` on every answer that says access may have ended; returns the function that stops it. */
export function onAccessChange(listener: (change: AccessChange) => void): () => void {
  accessListeners.add(listener);
  return () => {
    accessListeners.delete(listener);
  };
}

function namesTeam(variables: unknown): boolean {
  if (!variables || typeof variables !== 'object') return false;
  const { teamId, input } = variables as { teamId?: unknown; input?: { teamId?: unknown } | null };
  return typeof teamId === 'string' || typeof input?.teamId === 'string';
}

/** The access change an error means, if any. */
export function accessChangeOf(error: ApiError, variables: unknown): AccessChange | undefined {
  if (error.code === 'UNAUTHENTICATED') return 'session';
  if ((error.code === 'NOT_FOUND' || error.code === 'FORBIDDEN') && namesTeam(variables)) return 'team';
  return undefined;
}

function tell(change: AccessChange | undefined): void {
  if (change) for (const listener of [...accessListeners]) listener(change);
}

export async function execute<R, V>(document: TypedDocumentString<R, V>, variables?: V): Promise<R> {
  const result = await post(document, variables);
  if (result instanceof ApiError) {
    tell(accessChangeOf(result, variables));
    throw result;
  }
  return result;
}

async function post<R, V>(document: TypedDocumentString<R, V>, variables?: V): Promise<R | ApiError> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
      body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
    });
  } catch {
    return new ApiError('The server could not be reached', 'NETWORK');
  }
  let body: ResultJson<R>;
  try {
    body = (await response.json()) as ResultJson<R>;
  } catch {
    return new ApiError(`The server answered ${response.status}`, response.status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST');
  }
  if (body.errors?.length) return toApiError(body.errors);
  if (!body.data) return new ApiError('Empty answer', 'INTERNAL_SERVER_ERROR');
  return body.data;
}

/** graphql-ws close code of a socket whose credential is gone (the API's WS_CLOSE_UNAUTHORIZED). */
export const WS_CLOSE_UNAUTHORIZED = 4401;

const closeCodeOf = (event: unknown): number | undefined =>
  event && typeof event === 'object' && typeof (event as { code?: unknown }).code === 'number'
    ? (event as { code: number }).code
    : undefined;

let wsClient: Client | undefined;

function socket(): Client {
  if (!wsClient) {
    const { protocol, host } = window.location;
    wsClient = createClient({
      url: `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}/graphql`,
      lazy: true,
      retryAttempts: 5,
      // The API ended this socket's session (graphql-ws does not retry 4401): the session is read again.
      on: { closed: (event) => tell(closeCodeOf(event) === WS_CLOSE_UNAUTHORIZED ? 'session' : undefined) },
    });
  }
  return wsClient;
}

let generation = 0;
const resetListeners = new Set<() => void>();

/**
 * Closes the socket (after sign-in, sign-out or session.refresh(): the next subscription reconnects
 * with the current cookie). graphql-ws ends every subscription open on it, so the socket's
 * generation moves on and its listeners are told: whatever should stay live subscribes again
 * (useSubscription depends on the generation; see useSocketGeneration).
 */
export function resetSubscriptions(): void {
  void wsClient?.dispose();
  wsClient = undefined;
  generation += 1;
  for (const listener of [...resetListeners]) listener();
}

/** How many times the socket was reset: a subscription made before the latest reset has ended. */
export function socketGeneration(): number {
  return generation;
}

/** Calls `listener` after every resetSubscriptions(); returns the function that stops it. */
export function onSocketReset(listener: () => void): () => void {
  resetListeners.add(listener);
  return () => {
    resetListeners.delete(listener);
  };
}

export interface SubscriptionSink<R> {
  next(data: R): void;
  error?(error: ApiError): void;
  complete?(): void;
}

/** Starts a subscription; returns the function that stops it. */
export function subscribe<R, V>(document: TypedDocumentString<R, V>, variables: V, sink: SubscriptionSink<R>): () => void {
  const fail = (error: ApiError) => {
    tell(accessChangeOf(error, variables));
    sink.error?.(error);
  };
  return socket().subscribe<R>(
    { query: document.toString(), variables: variables as Record<string, unknown> },
    {
      next: (result) => {
        if (result.errors?.length) fail(toApiError(result.errors as GraphQLErrorJson[]));
        else if (result.data) sink.next(result.data);
      },
      error: (error) => {
        const errors = Array.isArray(error) ? (error as GraphQLErrorJson[]) : undefined;
        if (errors?.length) fail(toApiError(errors));
        // Told once, by the socket's `closed` listener: here it is only this stream's error.
        else if (closeCodeOf(error) === WS_CLOSE_UNAUTHORIZED) sink.error?.(new ApiError('The session ended', 'UNAUTHENTICATED'));
        else sink.error?.(new ApiError('The live connection failed', 'NETWORK'));
      },
      complete: () => sink.complete?.(),
    },
  );
}
