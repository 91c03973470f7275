import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../common/errors/error-codes';

/** Codes of requests the client got wrong: never a fault of the server. */
const CLIENT_CODES = new Set<string>([
  ErrorCode.BAD_REQUEST,
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.GRAPHQL_PARSE_FAILED,
  ErrorCode.GRAPHQL_VALIDATION_FAILED,
  ErrorCode.QUERY_TOO_COMPLEX,
]);

/** 400 when every error of a request that never reached execution is the client's; undefined otherwise. */
export function statusForRequestErrors(errors: readonly GraphQLFormattedError[]): 400 | undefined {
  return errors.length && errors.every((e) => CLIENT_CODES.has(String(e.extensions?.code))) ? 400 : undefined;
}

/**
 * GraphQL over HTTP: a request that fails before execution (no `data`) because of the
 * client answers 400, not 500. Apollo answers 500 for anything a plugin's
 * `didResolveOperation` throws (query limits, variable coercion there); this maps it back.
 * Errors during execution keep 200, as the spec asks.
 */
export function requestErrorStatusPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single' || 'data' in response.body.singleResult) return;
          if (response.http.status !== undefined && response.http.status !== 500) return;
          const status = statusForRequestErrors(response.body.singleResult.errors ?? []);
          if (status) response.http.status = status;
        },
      };
    },
  };
}
