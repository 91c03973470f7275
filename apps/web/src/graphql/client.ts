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

export async function execute<R, V>(document: TypedDocumentString<R, V>, variables?: V): Promise<R> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
      body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
    });
  } catch {
    throw new ApiError('The server could not be reached', 'NETWORK');
  }
  let body: ResultJson<R>;
  try {
    body = (await response.json()) as ResultJson<R>;
  } catch {
    throw new ApiError(`The server answered ${response.status}`, response.status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST');
  }
  if (body.errors?.length) throw toApiError(body.errors);
  if (!body.data) throw new ApiError('Empty answer', 'INTERNAL_SERVER_ERROR');
  return body.data;
}

let wsClient: Client | undefined;

function socket(): Client {
  if (!wsClient) {
    const { protocol, host } = window.location;
    wsClient = createClient({
      url: `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}/graphql`,
      lazy: true,
      retryAttempts: 5,
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
  return socket().subscribe<R>(
    { query: document.toString(), variables: variables as Record<string, unknown> },
    {
      next: (result) => {
        if (result.errors?.length) sink.error?.(toApiError(result.errors as GraphQLErrorJson[]));
        else if (result.data) sink.next(result.data);
      },
      error: (error) => {
        const errors = Array.isArray(error) ? (error as GraphQLErrorJson[]) : undefined;
        sink.error?.(errors?.length ? toApiError(errors) : new ApiError('The live connection failed', 'NETWORK'));
      },
      complete: () => sink.complete?.(),
    },
  );
}
