import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-codes';
import type { Logger } from '../common/logger';

/** Codes produced by GraphQL/Apollo itself that pass through unchanged. */
const PASS_THROUGH = new Set<string>([
  ErrorCode.GRAPHQL_PARSE_FAILED,
  ErrorCode.GRAPHQL_VALIDATION_FAILED,
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.BAD_REQUEST,
  ErrorCode.QUERY_TOO_COMPLEX,
]);

/** graphql-js's suggestion at the end of a message ("… Did you mean "apiKeys"?"): it names the schema's fields, types and enum values. */
const SUGGESTION = / ?Did you mean .+\?$/s;

/**
 * The one place where errors become GraphQL errors: AppErrors keep their code and
 * details, GraphQL's own errors keep theirs, anything else is logged and hidden
 * behind INTERNAL_SERVER_ERROR. No stack traces leave the server. With `hideSuggestions`
 * (introspection off) graphql-js's "Did you mean …?" is cut from every message, over HTTP
 * and WebSocket alike: it would spell out the schema that introspection keeps hidden.
 */
export function formatGraphqlError(
  formatted: GraphQLFormattedError,
  error: unknown,
  logger: Logger,
  { hideSuggestions = false }: { hideSuggestions?: boolean } = {},
): GraphQLFormattedError {
  const answer = formatWithCode(formatted, error, logger);
  return hideSuggestions ? { ...answer, message: answer.message.replace(SUGGESTION, '') } : answer;
}

function formatWithCode(formatted: GraphQLFormattedError, error: unknown, logger: Logger): GraphQLFormattedError {
  const original = unwrap(error);
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
  if (original instanceof AppError) {
    return { ...base, message: original.message, extensions: { ...original.details, code: original.code } };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && PASS_THROUGH.has(code)) {
    const { stacktrace: _stack, ...rest } = formatted.extensions ?? {};
    return { ...base, extensions: { ...rest, code } };
  }
  // Errors of the request itself (e.g. variable coercion), raised by graphql-js before any resolver ran.
  if (original instanceof GraphQLError && !formatted.path) {
    return {
      ...base,
      extensions: { code: /^Variable "\$/.test(formatted.message) ? ErrorCode.BAD_USER_INPUT : ErrorCode.GRAPHQL_VALIDATION_FAILED },
    };
  }
  logger.error({ err: original, path: formatted.path }, 'unexpected GraphQL error');
  return { ...base, message: 'Internal server error.', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}

/** The error a resolver (or a subscription's stream) threw, out of graphql-js's wrappers. */
function unwrap(error: unknown): unknown {
  let current = error;
  while (current instanceof GraphQLError && current.originalError) {
    if (!(current.originalError instanceof GraphQLError)) return current.originalError;
    current = current.originalError;
  }
  return current;
}
