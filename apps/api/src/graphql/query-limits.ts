import depthLimit from 'graphql-depth-limit';
import {
  GraphQLError,
  Kind,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { ErrorCode } from '../common/errors/error-codes';
import { DEFAULT_PAGE } from '../common/pagination/keyset-page';

/** A connection field (one that takes `first`) costs its children times the page size it asks for, the default page without `first`. */
const connectionEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  if (!field.args.some((arg) => arg.name === 'first')) return undefined;
  const first = typeof args.first === 'number' && args.first > 0 ? args.first : DEFAULT_PAGE;
  return 1 + childComplexity * first;
};

export interface QueryLimits {
  maxDepth: number;
  maxComplexity: number;
  /** Most root fields (aliases included) in one mutation operation. */
  maxRootFields: number;
}

/** Root fields of a selection set, counting through fragments (each alias is one field). */
function countRootFields(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen = new Set<string>()): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) count += selection.name.value === '__typename' ? 0 : 1;
    else if (selection.kind === Kind.INLINE_FRAGMENT) count += countRootFields(selection.selectionSet, fragments, seen);
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      if (fragment) count += countRootFields(fragment.selectionSet, fragments, seen);
    }
  }
  return count;
}

/** Throws QUERY_TOO_COMPLEX when the mutation operation has more than `max` root fields. */
function assertRootFields(document: DocumentNode, operationName: string | undefined | null, max: number): void {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName
    ? operations.find((o) => o.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  if (operation?.operation !== 'mutation') return;
  const fragments = new Map(document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const rootFields = countRootFields(operation.selectionSet, fragments);
  if (rootFields > max) {
    throw new GraphQLError(`Too many fields in one mutation: ${rootFields}, the limit is ${max}. Send them in separate requests.`, {
      extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, rootFields, maxRootFields: max },
    });
  }
}

/** Throws QUERY_TOO_COMPLEX when an operation is too deep, has too many mutation root fields, or costs too much. */
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
  assertRootFields(document, operationName, limits.maxRootFields);
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
