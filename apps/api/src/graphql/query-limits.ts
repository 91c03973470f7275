import depthLimit from 'graphql-depth-limit';
import { GraphQLError, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { ErrorCode } from '../common/errors/error-codes';

const DEFAULT_PAGE = 20;

/** A connection field costs its children times the page size it asks for. */
const connectionEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  if (!('first' in args) && !('after' in args)) return undefined;
  const first = typeof args.first === 'number' && args.first > 0 ? args.first : DEFAULT_PAGE;
  return 1 + childComplexity * first;
};

export interface QueryLimits {
  maxDepth: number;
  maxComplexity: number;
}

/** Throws QUERY_TOO_COMPLEX when an operation is too deep or its estimated cost is over the limit. */
export function assertQueryLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined | null,
  limits: QueryLimits,
): void {
  const [tooDeep] = validate(schema, document, [depthLimit(limits.maxDepth)]);
  if (tooDeep) {
    throw new GraphQLError(`Query is too deep: the limit is ${limits.maxDepth} levels.`, {
      extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, maxDepth: limits.maxDepth },
    });
  }
  const complexity = getComplexity({
    schema,
    query: document,
    variables: variables ?? {},
    operationName: operationName ?? undefined,
    estimators: [connectionEstimator, simpleEstimator({ defaultComplexity: 1 })],
  });
  if (complexity > limits.maxComplexity) {
    throw new GraphQLError(`Query is too complex: ${complexity} points, the limit is ${limits.maxComplexity}.`, {
      extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, complexity, maxComplexity: limits.maxComplexity },
    });
  }
}
